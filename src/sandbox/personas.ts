// Built-in behaviours of simulated customers: how fast they receive and read, how often they
// reply, block, report or stop marketing. Assign one per customer; edit or add more through
// the control API (`PUT /_sandbox/personas/:name`).

import type { Persona } from './state.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const BUILTIN_PERSONAS: Persona[] = [
  {
    // An engaged customer: phone online, reads within seconds, answers about a third of the time.
    name: 'attentive',
    reachable: 1, deliverMs: [200, 1500], read: 0.9, readMs: [1 * SECOND, 20 * SECOND],
    reply: 0.35, replyMs: [3 * SECOND, 40 * SECOND],
    replies: ['Thanks!', 'OK', 'When will it arrive?', 'Can I change my order?', 'Спасибо!', 'Great 👍'],
    block: 0.002, report: 0.001, stopMarketing: 0.01, marketingCapPerDay: 4,
  },
  {
    // Phone often offline: delivery takes minutes to hours, reads hours later, rarely replies.
    name: 'slow',
    reachable: 1, deliverMs: [30 * SECOND, 2 * HOUR], read: 0.6, readMs: [20 * MINUTE, 10 * HOUR],
    reply: 0.1, replyMs: [5 * MINUTE, 3 * HOUR], replies: ['ok', 'Sorry, just saw this', 'Hi'],
    block: 0.005, report: 0.002, stopMarketing: 0.02, marketingCapPerDay: 3,
  },
  {
    // Receipts off or never opens the chat: messages are delivered but never read or answered.
    name: 'silent',
    reachable: 1, deliverMs: [300, 3000], read: 0, readMs: [0, 0],
    reply: 0, replyMs: [0, 0], replies: [],
    block: 0.005, report: 0, stopMarketing: 0.01, marketingCapPerDay: 2,
  },
  {
    // Not a WhatsApp user (or an old client): every message fails with 131026.
    name: 'unreachable',
    reachable: 0, deliverMs: [0, 0], read: 0, readMs: [0, 0],
    reply: 0, replyMs: [0, 0], replies: [],
    block: 0, report: 0, stopMarketing: 0, marketingCapPerDay: 0,
  },
  {
    // Dislikes marketing: after a marketing template often blocks, reports or stops marketing,
    // which drives template quality down (pauses) and yields 131050 on later marketing sends.
    name: 'annoyed',
    reachable: 1, deliverMs: [200, 2000], read: 0.8, readMs: [2 * SECOND, 60 * SECOND],
    reply: 0.15, replyMs: [5 * SECOND, 60 * SECOND], replies: ['Stop sending me this', 'STOP', 'Who is this?'],
    block: 0.25, report: 0.15, stopMarketing: 0.4, marketingCapPerDay: 1,
  },
  {
    // Benchmarks: delivered and read at once, never replies or reacts, no cap.
    name: 'load',
    reachable: 1, deliverMs: [0, 0], read: 1, readMs: [0, 0],
    reply: 0, replyMs: [0, 0], replies: [],
    block: 0, report: 0, stopMarketing: 0, marketingCapPerDay: 1_000_000,
  },
];
