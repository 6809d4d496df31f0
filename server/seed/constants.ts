/** Fixed facts of the seed that tests, demos and other modules rely on. */

/** The default PRNG seed string: same string and same day, same city. */
export const SEED_STRING = 'yangquan';
/** Password of every demo account (demo mode only; production refuses to start while any account has it). */
export const DEMO_PASSWORD = 'demo1234';

/** enterprise1: a restaurant company in 城区, not in the quiet zone. */
export const ENTERPRISE1_USCC = '91140302MA0L2RXA6K';
/** enterprise2: a food-production company in the high-tech zone (quietZone). */
export const ENTERPRISE2_USCC = '91140371MA0K8QW3PX';

/** The complaint-triggered task of the demo (12345 转来的投诉, a merge candidate for today's planned task). */
export const complaintTaskId = (year: number) => `city-market.t${year}-c001`;
/** The joint plan of the demo: next year's catering inspection, led by city-market with city-health. */
export const jointId = (year: number) => `joint-${year}-catering`;
