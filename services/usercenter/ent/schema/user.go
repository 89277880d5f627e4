// Package schema defines usercenter's Ent schemas.
package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
)

// User is an account: who signs in with a mobile number and password, and the public profile
// other services show.
//
// Mobile has a plain unique index. The reference system soft-deleted users and kept a unique
// index that ignored the deletion flag, so a deleted user's number could never register again;
// this product has no user deletion at all, so a plain unique index is exactly right here.
type User struct {
	ent.Schema
}

// Annotations names the table "users": "user" is a reserved word in PostgreSQL.
func (User) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entsql.Annotation{Table: "users"},
	}
}

// Fields of the User. Lengths are checked at the API by protovalidate; the columns do not
// repeat them in bytes because the API counts characters.
func (User) Fields() []ent.Field {
	return []ent.Field{
		field.Int64("id"),
		field.String("mobile").
			NotEmpty().
			Unique().
			Immutable(),
		field.String("password_hash").
			NotEmpty().
			Sensitive(),
		field.String("nickname").
			Default(""),
		field.Int8("sex").
			Default(0).
			Range(0, 2).
			Comment("0 unspecified, 1 male, 2 female"),
		field.String("avatar").
			Default(""),
		field.Text("info").
			Default(""),
		field.Int64("version").
			Default(1).
			Comment("optimistic-locking version, +1 per update"),
		field.Time("create_time").
			Default(now).
			Immutable(),
		field.Time("update_time").
			Default(now).
			UpdateDefault(now),
	}
}

// now is the current time at PostgreSQL's precision, microseconds, so a user returned by a write
// equals the same user read back.
func now() time.Time {
	return time.Now().Truncate(time.Microsecond)
}
