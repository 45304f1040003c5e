// Chat, payment, AI and other SaaS API keys.
import type { Detector, Trigger } from '../detector.js';
import { looksRandom } from '../validators/entropy.js';
import { isPlaceholder } from '../validators/placeholder.js';

const random = (minEntropy: number, minClasses = 2) => (value: string) => !isPlaceholder(value) && looksRandom(value, { minEntropy, minClasses });
const literals = (...sources: string[]): Trigger[] => sources.map((source) => ({ source }));

function prefixed(id: string, title: string, pattern: RegExp, maxLength: number, triggers: Trigger[], validate: (value: string) => boolean): Detector {
  return { id, title, category: 'secret', defaultAction: 'block', confidence: 'high', pattern, maxLength, triggers, validate };
}

export const SAAS_DETECTORS: readonly Detector[] = [
  prefixed('slack-bot-token', 'Slack bot token', /(?<![A-Za-z0-9-])xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24}(?![A-Za-z0-9])/g, 58, literals('xoxb-'), (v) => random(4, 3)(v.slice(-24))),
  prefixed('slack-user-token', 'Slack user token', /(?<![A-Za-z0-9-])xox[pe]-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[a-f0-9]{32}(?![A-Za-z0-9])/g, 81, literals('xoxp-', 'xoxe-'), (v) => random(3.3, 1)(v.slice(-32))),
  prefixed('slack-app-token', 'Slack app-level token', /(?<![A-Za-z0-9-])xapp-[0-9]-[A-Z0-9]{9,11}-[0-9]{10,13}-[a-f0-9]{64}(?![A-Za-z0-9])/g, 96, literals('xapp-'), (v) => random(3.5, 1)(v.slice(-64))),
  prefixed(
    'slack-webhook-url',
    'Slack incoming webhook URL',
    /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Z0-9]{8,12}\/[AB][A-Z0-9]{8,12}\/[A-Za-z0-9]{24}(?![A-Za-z0-9])/g,
    110,
    [{ source: 'hooks.slack.com/', before: 24 }],
    (v) => random(3.8, 2)(v.slice(-24)),
  ),
  prefixed('stripe-secret-key', 'Stripe live secret key', /(?<![A-Za-z0-9_])[sr]k_live_[0-9A-Za-z]{24,99}(?![A-Za-z0-9_])/g, 107, literals('sk_live_', 'rk_live_'), (v) => random(4, 2)(v.slice(8))),
  prefixed('stripe-webhook-secret', 'Stripe webhook signing secret', /(?<![A-Za-z0-9_])whsec_[A-Za-z0-9+/]{32,64}(?![A-Za-z0-9_+/])/g, 70, literals('whsec_'), (v) => random(4, 2)(v.slice(6))),
  prefixed('twilio-api-key', 'Twilio API key SID', /(?<![A-Za-z0-9])SK[0-9a-f]{32}(?![A-Za-z0-9])/g, 34, literals('SK'), (v) => random(3.3, 1)(v.slice(2))),
  prefixed('sendgrid-api-key', 'SendGrid API key', /(?<![A-Za-z0-9_-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, 69, literals('SG.'), (v) => random(4, 3)(v.slice(3))),
  prefixed(
    'openai-api-key',
    'OpenAI API key',
    // Every OpenAI secret key carries T3BlbkFJ, base64 of "OpenAI".
    /(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{40,200}(?![A-Za-z0-9_-])/g,
    214,
    literals('sk-'),
    (v) => v.includes('T3BlbkFJ') && !v.startsWith('sk-ant-') && random(4, 3)(v),
  ),
  prefixed(
    'anthropic-api-key',
    'Anthropic API key',
    /(?<![A-Za-z0-9_-])sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,120}(?![A-Za-z0-9_-])/g,
    136,
    literals('sk-ant-'),
    (v) => v.endsWith('AA') && random(4.5, 3)(v.slice(14)),
  ),
  prefixed('huggingface-token', 'Hugging Face access token', /(?<![A-Za-z0-9_])hf_[A-Za-z]{34}(?![A-Za-z0-9_])/g, 37, literals('hf_'), (v) => random(4, 2)(v.slice(3))),
  prefixed('mailchimp-api-key', 'Mailchimp API key', /(?<![A-Za-z0-9])[0-9a-f]{32}-us[0-9]{1,2}(?![A-Za-z0-9])/g, 37, [{ source: '[0-9a-f]-us\\d', before: 38 }], (v) => random(3.3, 1)(v.slice(0, 32))),
  prefixed('shopify-access-token', 'Shopify access token', /(?<![A-Za-z0-9_])shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?![A-Za-z0-9_])/g, 38, literals('shpat_', 'shpca_', 'shppa_', 'shpss_'), (v) => random(3.3, 1)(v.slice(6))),
  prefixed('telegram-bot-token', 'Telegram bot token', /(?<![0-9])[0-9]{8,10}:AA[0-9A-Za-z_-]{33}(?![A-Za-z0-9_-])/g, 46, [{ source: '\\d:AA', before: 14 }], (v) => random(4, 3)(v.slice(v.indexOf(':') + 1))),
  prefixed(
    'discord-webhook-url',
    'Discord webhook URL',
    /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/[0-9]{17,20}\/[A-Za-z0-9_-]{60,80}(?![A-Za-z0-9_-])/g,
    150,
    [{ source: '/api/webhooks/', before: 50 }],
    (v) => v.includes('discord') && random(4, 3)(v.slice(v.lastIndexOf('/') + 1)),
  ),
  prefixed('linear-api-key', 'Linear API key', /(?<![A-Za-z0-9_])lin_api_[A-Za-z0-9]{40}(?![A-Za-z0-9_])/g, 48, literals('lin_api_'), (v) => random(4, 2)(v.slice(8))),
  prefixed('postman-api-key', 'Postman API key', /(?<![A-Za-z0-9_-])PMAK-[a-f0-9]{24}-[a-f0-9]{34}(?![A-Za-z0-9_-])/g, 64, literals('PMAK-'), (v) => random(3.3, 1)(v.slice(5))),
  prefixed('new-relic-user-key', 'New Relic user API key', /(?<![A-Za-z0-9_-])NRAK-[A-Z0-9]{27}(?![A-Za-z0-9_-])/g, 32, literals('NRAK-'), (v) => random(3.8, 2)(v.slice(5))),
];
