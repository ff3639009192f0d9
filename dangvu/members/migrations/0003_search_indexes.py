"""On PostgreSQL, the indexes the member search reads (`selectors._first_ids`): the exact
name (rank 0); the given name and the other names apart (words and trigrams), for ranks 1
and 2; the card number in capitals (exact and prefix); the Vietnamese name order as the
search sorts it (`name_sort COLLATE "C"`, then the card number: a rank with many matches is
read in order and stops at the page's limit); and two covering indexes that let a
province's search read its members from the indexes alone. SQLite scans the tables, which
is fast at a province's size."""

from django.db import migrations

INDEXES = {
    "members_member_name_exact": "members_member (name_search)",
    # The given name (the last word), in name order, the name read from the index itself:
    # the members of rank 1 or 2 whose given name is (or starts with) a word of the query.
    "members_member_given_name": (
        "members_member ((split_part(rtrim(name_search::text), ' ', -1)) COLLATE \"C\", "
        'name_sort COLLATE "C", card_number) INCLUDE (name_search, id)'
    ),
    # The other names (" nguyen van "): their words (rank 1) and trigrams (rank 2).
    "members_member_rest_words": (
        "members_member USING gin ((string_to_array(btrim(left(rtrim(name_search::text), "
        "-length(split_part(rtrim(name_search::text), ' ', -1)))), ' ')))"
    ),
    "members_member_rest_trgm": (
        "members_member USING gin ((left(rtrim(name_search::text), "
        "-length(split_part(rtrim(name_search::text), ' ', -1)))) gin_trgm_ops)"
    ),
    "members_member_card_upper": "members_member (UPPER(card_number::text) text_pattern_ops)",
    # Walked in order, the name read from the index itself (an index-only scan).
    "members_member_name_order": (
        'members_member (name_sort COLLATE "C", card_number) INCLUDE (name_search, id)'
    ),
    # A province's members read by id, each from the index alone.
    "members_member_search_row": (
        "members_member (id) INCLUDE (name_search, card_number, name_sort)"
    ),
    # The members active in given units on a day, from the index alone.
    "members_membership_unit_cover": (
        "members_membership (unit_id, valid_from) INCLUDE (valid_to, member_id)"
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}")
    schema_editor.execute("ANALYZE members_member")
    schema_editor.execute("ANALYZE members_membership")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("members", "0002_name_trigram_index")]
    operations = [migrations.RunPython(create, drop)]
