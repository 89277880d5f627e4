package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Activity is an entry of a curated list: the preferred homestays or the good bosses. data_id
// names a homestay or a business depending on kind, so it has no foreign key; readers skip
// entries whose target is gone or hidden.
type Activity struct {
	ent.Schema
}

// Annotations names the table.
func (Activity) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entsql.Annotation{Table: "activities"},
	}
}

// Fields of the Activity.
func (Activity) Fields() []ent.Field {
	return []ent.Field{
		field.Int64("id"),
		field.Enum("kind").
			Values("preferred_homestay", "good_boss").
			Immutable(),
		field.Int64("data_id").
			Positive().
			Immutable(),
		field.Bool("enabled").
			Default(true),
		field.Int32("sort_order").
			Default(0),
		field.Time("create_time").
			Default(now).
			Immutable(),
		field.Time("update_time").
			Default(now).
			UpdateDefault(now),
	}
}

// Indexes of the Activity: one entry per target and list, and the list order.
func (Activity) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("kind", "data_id").
			Unique(),
		index.Fields("kind", "enabled", "sort_order", "id"),
	}
}
