package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/google/uuid"
)

// Revocation records that a session was revoked. Its auto-increment id is the cursor verifiers
// poll with (ListRevocations), so rows are only ever appended.
type Revocation struct {
	ent.Schema
}

// Fields of the Revocation.
func (Revocation) Fields() []ent.Field {
	return []ent.Field{
		field.Int64("id").
			Immutable(),
		field.UUID("session_id", uuid.UUID{}).
			Immutable(),
		field.Time("revoke_time").
			Immutable(),
	}
}

// Indexes of the Revocation.
func (Revocation) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("revoke_time"),
	}
}
