"""Events reported by several reports are fused: each stored event carries the id of its cluster.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("cluster_id", sa.String(80)))
    op.execute("UPDATE events SET cluster_id = id")  # until the next ingest links them, each event is its own
    op.create_index("ix_events_cluster_id", "events", ["cluster_id"])
    op.create_index("ix_events_fusion", "events", ["country", "sub_event_type", "event_date"])


def downgrade() -> None:
    op.drop_index("ix_events_fusion", "events")
    op.drop_index("ix_events_cluster_id", "events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("cluster_id")
