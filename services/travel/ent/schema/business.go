package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Business is a landlord's shop. A user owns at most one, which the unique owner_user_id
// enforces, so creating a second one fails in the database even under races.
//
// star_sum and comment_count add up the comments on all of the business's homestays; score is
// their Bayesian average, kept in a column so the good-boss list can be ordered by an index
// instead of computing the formula over every row.
type Business struct {
	ent.Schema
}

// Annotations names the table.
func (Business) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entsql.Annotation{Table: "businesses"},
	}
}

// Fields of the Business. Lengths are checked at the API by protovalidate, in characters.
func (Business) Fields() []ent.Field {
	return []ent.Field{
		field.Int64("id"),
		field.Int64("owner_user_id").
			Positive().
			Unique().
			Immutable(),
		field.String("title").
			NotEmpty(),
		field.Text("info").
			Default(""),
		field.Text("boss_info").
			Default(""),
		field.Strings("tags").
			Default([]string{}),
		field.String("cover_url").
			MaxLen(1024).
			Default(""),
		field.String("header_image_url").
			MaxLen(1024).
			Default(""),
		field.Bool("open").
			Default(true),
		field.Int64("star_sum").
			Default(0).
			NonNegative(),
		field.Int64("comment_count").
			Default(0).
			NonNegative(),
		field.Float("score").
			Default(priorScore).
			Comment("Bayesian average of the stars; see internal/store"),
		field.Int64("version").
			Default(1).
			Comment("optimistic-locking version, +1 per change"),
		field.Time("create_time").
			Default(now).
			Immutable(),
		field.Time("update_time").
			Default(now).
			UpdateDefault(now),
	}
}

// Edges of the Business.
func (Business) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("homestays", Homestay.Type),
	}
}

// Indexes of the Business: the open-businesses list pages by id, the good-boss list orders by
// score.
func (Business) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("open", "id"),
		index.Fields("score", "comment_count", "id"),
	}
}
