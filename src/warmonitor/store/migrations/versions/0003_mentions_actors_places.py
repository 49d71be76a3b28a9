"""Every mention a report makes (coded or not, with its modality), and the actors and places events name.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("report_id", sa.String(64), sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("sentence", sa.Integer, nullable=False), sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("sub_event_type", sa.String(80), nullable=False), sa.Column("trigger", sa.Text, nullable=False),
        sa.Column("modality", sa.String(20), nullable=False), sa.Column("coded", sa.Boolean, nullable=False),
        sa.Column("why_not_coded", sa.Text), sa.Column("attributed_to", sa.Text),
        sa.Column("place", sa.Text), sa.Column("place_text", sa.Text), sa.Column("admin1", sa.Text),
        sa.Column("country", sa.String(80)), sa.Column("date", sa.Date), sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_mentions_report_id", "mentions", ["report_id"])
    op.create_index("ix_mentions_place", "mentions", ["place"])
    op.create_table(
        "actors",
        sa.Column("name", sa.String(200), primary_key=True), sa.Column("inter", sa.Integer),
    )
    op.create_table(
        "places",
        sa.Column("name", sa.String(200), primary_key=True), sa.Column("country", sa.String(80), primary_key=True),
        sa.Column("admin1", sa.Text), sa.Column("latitude", sa.Float), sa.Column("longitude", sa.Float),
    )


def downgrade() -> None:
    for table in ("places", "actors", "mentions"):
        op.drop_table(table)
