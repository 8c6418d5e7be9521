"""The organisation's data token: new with every change to people, org units, access roles,
credentials and cycles, so figures over many people are reused until it moves

Revision ID: b8e1f0c3a5d2
Revises: 9d4f2b7e6a15
Create Date: 2026-12-04 11:00:00

"""
import secrets

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b8e1f0c3a5d2'
down_revision = '9d4f2b7e6a15'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'data_revision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_revision')),
    )
    op.bulk_insert(table, [{'id': 1, 'token': secrets.token_hex(16)}])


def downgrade():
    op.drop_table('data_revision')
