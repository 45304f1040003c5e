#!/usr/bin/env node
// The published package runs the compiled CLI (built by `npm run build` at pack time);
// a checkout runs the same source through `npm run gatehouse -- <args>`.
import '../dist/main/headless/cli.js';
