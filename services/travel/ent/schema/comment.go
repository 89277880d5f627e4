package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Comment is a user's review of a homestay. A user reviews a homestay at most once, which the
// unique (homestay_id, user_id) index enforces even when two requests race.
type Comment struct {
	ent.Schema
}

// Annotations names the table.
func (Comment) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entsql.Annotation{Table: "comments"},
	}
}

// Fields of the Comment.
func (Comment) Fields() []ent.Field {
	return []ent.Field{
		field.Int64("id"),
		field.Int64("homestay_id").
			Immutable(),
		field.Int64("user_id").
			Positive().
			Immutable(),
		field.Text("content").
			NotEmpty(),
		field.Int32("star").
			Range(1, 5).
			Immutable(),
		field.Time("create_time").
			Default(now).
			Immutable(),
	}
}

// Edges of the Comment.
func (Comment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("homestay", Homestay.Type).
			Ref("comments").
			Field("homestay_id").
			Unique().
			Required().
			Immutable(),
	}
}

// Indexes of the Comment: a homestay's comments newest first, and one comment per user and
// homestay.
func (Comment) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("homestay_id", "id"),
		index.Fields("homestay_id", "user_id").
			Unique(),
	}
}
