// The core sending flows on PostgreSQL + Redis (both required: a connection failure fails, never skips).
import { describeCoreFlows } from './core-flows.js';

describeCoreFlows('postgres');
