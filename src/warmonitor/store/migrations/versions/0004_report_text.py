"""The text of each report, so that a reader can see an evidence sentence where it stands in its report.
Reports stored before this revision keep an empty text (NULL) until they are ingested again.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("text", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("text")
