/** The projection: docs → SQL rows → warnings for supervisors (DESIGN §3, §6 step 6). */
export { Projection, type ProjectionOptions, type RoomAccess } from './projection';
export { ProjectionTables, RATING_MIN_COUNT, type AgencyRatingView, type RatingMonth, type RatingSummary, type WarningQuery } from './tables';
export { evaluateEntry, planChangedWarning, unfiledPlanWarnings, teamCertsOf, warningId, yearOfWarning, type WarningT } from './evaluate';
