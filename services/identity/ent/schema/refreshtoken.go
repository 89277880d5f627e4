package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/google/uuid"
)

// RefreshToken is one link of a session's refresh token chain. Only the SHA-256 of the opaque
// token is stored, so a database leak does not hand out live sessions. Used tokens are kept until
// they expire so that presenting one again is recognised as reuse.
type RefreshToken struct {
	ent.Schema
}

// Fields of the RefreshToken.
func (RefreshToken) Fields() []ent.Field {
	return []ent.Field{
		field.String("token_hash").
			MaxLen(64).
			NotEmpty().
			Unique().
			Immutable().
			Comment("Hex SHA-256 of the token; the token itself is never stored."),
		field.UUID("session_id", uuid.UUID{}).
			Immutable(),
		field.Time("created_at").
			Immutable(),
		field.Time("expires_at").
			Immutable(),
		field.Time("used_at").
			Optional().
			Nillable(),
	}
}

// Edges of the RefreshToken.
func (RefreshToken) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("session", Session.Type).
			Ref("refresh_tokens").
			Field("session_id").
			Unique().
			Required().
			Immutable(),
	}
}

// Indexes of the RefreshToken.
func (RefreshToken) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("session_id"),
	}
}
