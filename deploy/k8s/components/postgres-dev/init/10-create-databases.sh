# 10-create-databases.sh is sourced (not executed: the ConfigMap file is not
# executable) by the postgres image's entrypoint the first time the data
# directory is initialised. It hands the per-service passwords from the
# postgres-dev Secret to create-databases.psql as psql variables. The .psql
# extension keeps the entrypoint from running that file on its own. No
# `set -u` here: it would leak into the sourcing entrypoint; ${VAR:?} stops
# initialisation when a password is missing.
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname postgres \
  -v identity_password="${IDENTITY_DB_PASSWORD:?}" \
  -v usercenter_password="${USERCENTER_DB_PASSWORD:?}" \
  -v travel_password="${TRAVEL_DB_PASSWORD:?}" \
  -f /docker-entrypoint-initdb.d/create-databases.psql
