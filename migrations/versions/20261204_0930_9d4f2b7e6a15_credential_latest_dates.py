"""Credentials keep their newest cycle's end and the end of its grace period (what their status
turns on), indexed, so the renewals due and the directory need not find each newest cycle

Revision ID: 9d4f2b7e6a15
Revises: 7c3e9a1b2d40
Create Date: 2026-12-04 09:30:00

"""
import sqlalchemy as sa
from alembic import op

from pmolearn.credentials.cycles import grace_end

# revision identifiers, used by Alembic.
revision = '9d4f2b7e6a15'
down_revision = '7c3e9a1b2d40'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('credentials', schema=None) as batch_op:
        batch_op.add_column(sa.Column('latest_end', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('latest_grace_end', sa.Date(), nullable=True))
        batch_op.create_index('ix_credentials_latest_end', ['latest_end'], unique=False)
    # Fill them from each credential's newest cycle and its policy's grace period, with the
    # same date rule the app uses (cycles.grace_end: 29 February falls back to the 28th).
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT c.credential_id, c.\"end\", p.grace_months FROM credential_cycles c "
        "LEFT JOIN renewal_policies p ON p.id = c.policy_id "
        "WHERE NOT EXISTS (SELECT 1 FROM credential_cycles n "
        "WHERE n.credential_id = c.credential_id AND n.number > c.number)"
    ).columns(sa.column("credential_id", sa.Integer), sa.column("end", sa.Date),
              sa.column("grace_months", sa.Integer))).all()
    values = [
        {"id": cid, "end": end, "grace": grace_end(end, months or 0) if end else None}
        for cid, end, months in rows
    ]
    if values:
        bind.execute(
            sa.text("UPDATE credentials SET latest_end = :end, latest_grace_end = :grace "
                    "WHERE id = :id").bindparams(sa.bindparam("end", type_=sa.Date),
                                                 sa.bindparam("grace", type_=sa.Date)),
            values,
        )


def downgrade():
    with op.batch_alter_table('credentials', schema=None) as batch_op:
        batch_op.drop_index('ix_credentials_latest_end')
        batch_op.drop_column('latest_grace_end')
        batch_op.drop_column('latest_end')
