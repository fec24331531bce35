// The core sending flows on embedded SQLite with the in-process bus and limiter.
import { describeCoreFlows } from './core-flows.js';

describeCoreFlows('sqlite');
