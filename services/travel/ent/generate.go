// Package ent holds travel's generated Ent client. Only internal/store and the data tools
// (demo, cmd/travel-gen) import it.
package ent

//go:generate go run entgo.io/ent/cmd/ent generate --feature sql/upsert,sql/execquery,sql/modifier ./schema
