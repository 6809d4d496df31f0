/**
 * Joint plans on the wire (server/joints/): create, invite, answer an invitation, generate tasks, and the
 * suggestions. zod only: no I/O.
 */
import { z } from 'zod';
import { Exemption, Id, Targets, UsccShape, Verdict, Window } from '../domain/schemas';

export const JointYearQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });
export const JointSuggestionsQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

/** POST /api/joints: the caller's agency leads the new joint plan */
export const CreateJointRequest = z.object({
  title: z.string().trim().min(1, 'give the joint plan a title').max(200),
  year: z.number().int().min(2000).max(2100),
  memberAgencyIds: z.array(Id).max(20).default([]),
  window: Window.refine((w) => w.from <= w.to, 'window.from must not be after window.to').optional(),
  targets: Targets.optional(),
  /** plan items to copy in as each member's items (a suggestion's `planItemIds`) */
  planItems: z
    .array(z.object({ agencyId: Id, planItemId: Id }))
    .max(100)
    .optional(),
  /** months of the suggestion: the copied items keep only these (when they share any) */
  months: z.array(z.number().int().min(1).max(12)).max(12).optional(),
});
export type CreateJointRequest = z.input<typeof CreateJointRequest>;

/** POST /api/joints/:id/members: the lead invites an agency */
export const InviteRequest = z.object({ agencyId: Id });

/** POST /api/joints/:id/tasks (422 task_rules / confirm_required: details = TaskProblems) */
export const JointTasksRequest = z.object({
  usccs: z.array(UsccShape).min(1, 'pick at least one enterprise').max(50),
  window: Window.optional(),
  /** the warnings shown were read and accepted */
  confirm: z.boolean().default(false),
  exemptions: z.array(Exemption).max(10).default([]),
});
export type JointTasksRequest = z.input<typeof JointTasksRequest>;

export const JointSummary = z.object({
  id: z.string(),
  title: z.string(),
  year: z.number().int(),
  leadAgencyId: z.string(),
  memberAgencyIds: z.array(z.string()),
  /** invited, not accepted yet */
  invitedAgencyIds: z.array(z.string()),
  status: z.string(),
  window: z.object({ from: z.string(), to: z.string() }).optional(),
});
export type JointSummary = z.infer<typeof JointSummary>;
export const JointList = z.object({ items: z.array(JointSummary) });
export type JointList = z.infer<typeof JointList>;

/** POST /api/joints/:id/members → an invitation; the agency becomes a member when its admin accepts */
export const InviteResult = z.object({ joint: JointSummary, added: z.boolean(), invited: z.boolean() });
export type InviteResult = z.infer<typeof InviteResult>;

/** an invitation as the invited agency sees it (GET /api/joint-invitations) */
export const JointInvitation = z.object({
  jointId: z.string(),
  title: z.string(),
  year: z.number().int(),
  leadAgencyId: z.string(),
  invitedBy: z.string(),
  invitedAt: z.string(),
  status: z.enum(['invited', 'declined']),
  /** plan items of this agency's filed plan the lead proposes to include */
  planItemIds: z.array(z.string()),
});
export type JointInvitation = z.infer<typeof JointInvitation>;
export const JointInvitationList = z.object({ items: z.array(JointInvitation) });
export type JointInvitationList = z.infer<typeof JointInvitationList>;

/** POST /api/joints/:id/accept → the joint, now with the caller's agency a member */
export const JointAccepted = JointSummary;
/** POST /api/joints/:id/decline */
export const JointDeclined = z.object({ jointId: z.string(), status: z.literal('declined') });
export type JointDeclined = z.infer<typeof JointDeclined>;

/** a 422's problems (joint tasks: per member agency and enterprise, the verdicts that are not ok) */
export const TaskProblem = z.object({ agencyId: z.string(), uscc: z.string(), enterpriseName: z.string(), verdicts: z.array(Verdict) });
export type TaskProblem = z.infer<typeof TaskProblem>;
export const TaskProblems = z.array(TaskProblem);
export type TaskProblems = z.infer<typeof TaskProblems>;

/** POST /api/joints/:id/tasks → 201 */
export const JointTasksResult = z.object({
  created: z.array(z.object({ agencyId: z.string(), room: z.string(), taskIds: z.array(z.string()) })),
  existing: z.array(z.string()),
});
export type JointTasksResult = z.infer<typeof JointTasksResult>;

/** GET /api/joint-suggestions?year= */
export const JointSuggestionItem = z.object({
  agencies: z.array(z.string()),
  planItemIds: z.record(z.string(), z.array(z.string())),
  months: z.array(z.number().int()),
  enterpriseCount: z.number().int(),
  sampleUsccs: z.array(z.string()),
  existingJointIds: z.array(z.string()),
});
export type JointSuggestionItem = z.infer<typeof JointSuggestionItem>;
export const JointSuggestions = z.object({ items: z.array(JointSuggestionItem) });
export type JointSuggestions = z.infer<typeof JointSuggestions>;
