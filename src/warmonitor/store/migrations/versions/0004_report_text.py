"""The text of each report, so that a reader can see an evidence sentence where it stands in its report
(reports stored before this revision keep no text until they are ingested again), and each fused
event's lead member (events.is_lead: the most precise telling, whose place the fused event takes),
so that a map can place every fused event with one indexed query.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# the order of warmonitor.store.fusion.lead_key, in SQL: most precise place, then date, then the
# earliest published report, then the smallest id
_MARK_LEADS = """
UPDATE events SET is_lead = (id IN (
    SELECT id FROM (
        SELECT e.id, ROW_NUMBER() OVER (
            PARTITION BY e.cluster_id
            ORDER BY COALESCE(e.geo_precision, 9), COALESCE(e.time_precision, 9),
                     CASE WHEN r.published IS NULL THEN 1 ELSE 0 END, r.published, e.id) AS rank
        FROM events e JOIN reports r ON r.id = e.report_id) ranked
    WHERE rank = 1))
"""


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("text", sa.Text))
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("is_lead", sa.Boolean))
    op.create_index("ix_events_is_lead", "events", ["is_lead"])
    op.execute(_MARK_LEADS)


def downgrade() -> None:
    op.drop_index("ix_events_is_lead", "events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("is_lead")
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("text")
