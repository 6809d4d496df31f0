/** Fixed facts of the seed that tests, demos and other modules rely on. */

/** The fixed PRNG seed string: same string, same city. */
export const SEED_STRING = 'yangquan-2026';
/** "Today" in the demo data (Asia/Shanghai): tasks for today and this week are around it. */
export const SEED_TODAY = '2026-11-25';
/** Password of every demo account. */
export const DEMO_PASSWORD = 'demo1234';

/** enterprise1: a restaurant company in 城区, not in the quiet zone. */
export const ENTERPRISE1_USCC = '91140302MA0L2RXA6K';
/** enterprise2: a food-production company in the high-tech zone (quietZone). */
export const ENTERPRISE2_USCC = '91140371MA0K8QW3PX';
