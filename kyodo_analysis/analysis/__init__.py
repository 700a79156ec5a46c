"""What the review computes from the tidy frames: summaries, progress against the schedule, the audit of
ratings against statuses, the second half, rounds, data-quality notes, and ``review_plan`` with ``PlanReview``."""
