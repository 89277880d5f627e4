package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Homestay is a bookable place of a business. landlord_user_id repeats the business's owner so
// ownership checks and the landlord's list need no join; a business never changes owner.
//
// Money is int64 minor units (fen), never floats. score is the Bayesian average of the stars,
// kept in a column so the guess-you-like list reads an index instead of ranking every row.
type Homestay struct {
	ent.Schema
}

// Annotations names the table.
func (Homestay) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entsql.Annotation{Table: "homestays"},
	}
}

// Fields of the Homestay. Lengths and ranges are checked at the API by protovalidate.
func (Homestay) Fields() []ent.Field {
	return []ent.Field{
		field.Int64("id"),
		field.Int64("business_id").
			Immutable(),
		field.Int64("landlord_user_id").
			Positive().
			Immutable(),
		field.String("title").
			NotEmpty(),
		field.String("subtitle").
			Default(""),
		field.Strings("banner_urls").
			Default([]string{}),
		field.Text("info").
			Default(""),
		field.Int32("people_count").
			Default(1),
		field.Bool("on_shelf").
			Default(false),
		field.Enum("sale_type").
			Values("per_room", "per_person").
			Default("per_room"),
		field.Text("food_info").
			Default(""),
		field.Int64("food_price_cents").
			Default(0).
			NonNegative(),
		field.Int64("price_cents").
			Default(0).
			NonNegative(),
		field.Int64("market_price_cents").
			Default(0).
			NonNegative(),
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

// Edges of the Homestay.
func (Homestay) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("business", Business.Type).
			Ref("homestays").
			Field("business_id").
			Unique().
			Required().
			Immutable(),
		edge.To("comments", Comment.Type),
	}
}

// Indexes of the Homestay: a business's list, the landlord's list, the public id order and the
// guess-you-like ranking.
func (Homestay) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("business_id", "id"),
		index.Fields("landlord_user_id", "id"),
		index.Fields("on_shelf", "id"),
		index.Fields("on_shelf", "score", "comment_count", "id"),
	}
}
