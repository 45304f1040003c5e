import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Synth } from '../../../../fixtures/dlp/synthetic.js';
import { detect } from './detect.js';

const s = new Synth(13);

test('finds chat, payment and SaaS keys by their formats', () => {
  const cases: [string, string][] = [
    ['slack-bot-token', s.slackBot()],
    ['slack-user-token', s.slackUser()],
    ['slack-app-token', s.slackApp()],
    ['slack-webhook-url', s.slackWebhook()],
    ['stripe-secret-key', s.stripeKey()],
    ['stripe-webhook-secret', s.stripeWebhookSecret()],
    ['twilio-api-key', s.twilioKey()],
    ['sendgrid-api-key', s.sendgridKey()],
    ['openai-api-key', s.openaiKey()],
    ['anthropic-api-key', s.anthropicKey()],
    ['huggingface-token', s.huggingfaceToken()],
    ['mailchimp-api-key', s.mailchimpKey()],
    ['shopify-access-token', s.shopifyToken()],
    ['telegram-bot-token', s.telegramToken()],
    ['discord-webhook-url', s.discordWebhook()],
    ['linear-api-key', s.linearKey()],
    ['postman-api-key', s.postmanKey()],
    ['new-relic-user-key', s.newRelicKey()],
  ];
  for (const [id, value] of cases) assert.deepEqual(detect(`the key is ${value} ok`), [id], id);
});

test('an OpenAI key needs its T3BlbkFJ marker and an Anthropic key its AA ending', () => {
  assert.deepEqual(detect(`OPENAI_API_KEY=sk-proj-${s.mixed(80)}`), []);
  assert.deepEqual(detect(`ANTHROPIC_API_KEY=sk-ant-api03-${s.mixed(93)}ZZ`), []);
  assert.deepEqual(detect('OPENAI_API_KEY=sk-your-key-here'), []);
});

test('Stripe test keys are left to the catch-all and publishable keys are not reported', () => {
  assert.deepEqual(detect(`STRIPE_SECRET_KEY=sk_test_${s.mixed(24)}`), ['generic-api-key']);
  assert.deepEqual(detect(`pk_live_${s.mixed(24)}`), []);
});
