// Package schema defines travel's Ent schemas: businesses, their homestays, comments on homestays
// and the curated activity lists.
package schema

import "time"

// now is the default for time columns. It is truncated to microseconds because PostgreSQL keeps
// no more, and a value must read back equal to what was written (the cache holds what a write
// returned next to what a later read loads).
func now() time.Time {
	return time.Now().UTC().Truncate(time.Microsecond)
}

// priorScore is the score of something with no comments: the Bayesian prior mean of 3 stars.
// See scoreExpr in internal/store for the formula.
const priorScore = 3.0
