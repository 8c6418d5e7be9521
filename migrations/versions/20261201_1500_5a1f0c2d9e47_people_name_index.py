"""The people directory pages by name: an index on (name, id) for an ordered walk

Revision ID: 5a1f0c2d9e47
Revises: 22462882e60e
Create Date: 2026-12-01 15:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5a1f0c2d9e47'
down_revision = '22462882e60e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index('ix_people_name_id', ['name', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index('ix_people_name_id')
