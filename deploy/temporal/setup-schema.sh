#!/bin/sh
# Creates and migrates Temporal's two PostgreSQL schemas (history and visibility), as Temporal's
# own compose samples do with admin-tools. Safe to run on every start.
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${POSTGRES_PWD:?}"
SCHEMA_DIR=/etc/temporal/schema/postgresql/v12
export SQL_PASSWORD="$POSTGRES_PWD"
tool() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -u "$POSTGRES_USER" -p "${DB_PORT:-5432}" "$@"; }

until nc -z "$POSTGRES_SEEDS" "${DB_PORT:-5432}"; do echo "waiting for PostgreSQL…"; sleep 1; done

# create and setup-schema fail harmlessly when a previous start already did them;
# update-schema is the step that must succeed.
tool --db temporal create || true
tool --db temporal setup-schema -v 0.0 || true
tool --db temporal update-schema -d "$SCHEMA_DIR/temporal/versioned"

tool --db temporal_visibility create || true
tool --db temporal_visibility setup-schema -v 0.0 || true
tool --db temporal_visibility update-schema -d "$SCHEMA_DIR/visibility/versioned"
