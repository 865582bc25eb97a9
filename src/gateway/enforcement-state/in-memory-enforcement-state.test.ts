import { runEnforcementStateConformance } from './enforcement-state.case.js';
import { createInMemoryEnforcementState } from './in-memory-enforcement-state.js';

runEnforcementStateConformance('in-memory', async () => createInMemoryEnforcementState());
