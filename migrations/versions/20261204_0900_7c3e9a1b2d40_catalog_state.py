"""The catalog's revision, raised by every seed: each process rebuilds its snapshot of the
catalog when it moves

Revision ID: 7c3e9a1b2d40
Revises: 5a1f0c2d9e47
Create Date: 2026-12-04 09:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '7c3e9a1b2d40'
down_revision = '5a1f0c2d9e47'
branch_labels = None
depends_on = None


def upgrade():
    state = op.create_table(
        'catalog_state',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('revision', sa.Integer(), server_default='0', nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_state')),
    )
    op.bulk_insert(state, [{'id': 1, 'revision': 0}])


def downgrade():
    op.drop_table('catalog_state')
