#!/bin/sh
# gen-secrets.sh writes the dev overlay's credentials into secrets/ next to
# this script (or into the directory given as $1): random passwords for the
# PostgreSQL superuser and for each service's role, the service database URLs
# built from the same passwords, the identity signing key and the travel page
# token key. secrets/ is git-ignored; the Tiltfile runs this script when the
# files are missing.
#
# It never overwrites: the passwords are baked into the PostgreSQL volume on
# its first start. To rotate, delete secrets/ AND the volume
# (kubectl delete pvc data-postgres-0), then run `tilt up` again.
set -eu

dir=${1:-"$(cd "$(dirname "$0")" && pwd)/secrets"}
files="postgres.env identity.env usercenter.env travel.env"

present=0
for f in $files; do
  if [ -e "$dir/$f" ]; then present=$((present + 1)); fi
done
if [ "$present" -eq 4 ]; then
  exit 0
fi
if [ "$present" -ne 0 ]; then
  echo "gen-secrets.sh: $dir is incomplete; delete it (and the PVC data-postgres-0) and run again" >&2
  exit 1
fi

# rand_hex N prints 2N hex digits from N random bytes: URL-safe as-is, so a
# password can go into a postgres:// URL without escaping.
rand_hex() {
  od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'
}

# rand_b64 N prints N random bytes in standard base64 (the signing key is a
# base64 Ed25519 seed: 32 bytes).
rand_b64() {
  head -c "$1" /dev/urandom | base64 | tr -d '\n'
}

umask 077
mkdir -p "$dir"
identity_pw=$(rand_hex 24)
usercenter_pw=$(rand_hex 24)
travel_pw=$(rand_hex 24)

cat >"$dir/postgres.env" <<END
POSTGRES_PASSWORD=$(rand_hex 24)
IDENTITY_DB_PASSWORD=$identity_pw
USERCENTER_DB_PASSWORD=$usercenter_pw
TRAVEL_DB_PASSWORD=$travel_pw
END

cat >"$dir/identity.env" <<END
LOOKLOOK_DATABASE_URL=postgres://identity:$identity_pw@postgres:5432/identity?sslmode=disable
LOOKLOOK_SIGNING_KEY=$(rand_b64 32)
END

cat >"$dir/usercenter.env" <<END
LOOKLOOK_DATABASE_URL=postgres://usercenter:$usercenter_pw@postgres:5432/usercenter?sslmode=disable
LOOKLOOK_REDIS_URL=redis://redis:6379/0
END

cat >"$dir/travel.env" <<END
LOOKLOOK_DATABASE_URL=postgres://travel:$travel_pw@postgres:5432/travel?sslmode=disable
LOOKLOOK_REDIS_URL=redis://redis:6379/0
LOOKLOOK_PAGE_TOKEN_KEY=$(rand_b64 32)
END

echo "gen-secrets.sh: wrote dev credentials to $dir"
