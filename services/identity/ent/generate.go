// Package ent holds identity's generated Ent client. Only internal/store imports it.
package ent

//go:generate go run entgo.io/ent/cmd/ent generate --feature sql/lock,sql/execquery ./schema
