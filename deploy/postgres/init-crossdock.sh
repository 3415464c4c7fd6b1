#!/bin/sh
# First start of the PostgreSQL container: a database and role of Crossdock's own, beside Temporal's.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" <<SQL
CREATE ROLE crossdock LOGIN PASSWORD '${CROSSDOCK_DB_PASSWORD:-crossdock}';
CREATE DATABASE crossdock OWNER crossdock;
SQL
