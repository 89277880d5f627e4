package store

import (
	"fmt"

	"entgo.io/ent/dialect/sql"
)

// The rating score is a Bayesian average: the mean star pulled towards PriorMean by
// PriorWeight imaginary comments, so a homestay with one five-star review does not outrank one
// with a hundred four-star reviews, and a new homestay starts in the middle.
const (
	// PriorMean is the star a homestay or business is assumed to have before any comment.
	PriorMean = 3
	// PriorWeight is how many comments the prior counts as.
	PriorWeight = 5
)

// Score is the Bayesian average of a rating: (starSum + PriorMean*PriorWeight) /
// (commentCount + PriorWeight). The guess-you-like and good-boss lists order by it; rows keep it
// in an indexed column so those lists read an index instead of ranking every row.
func Score(starSum, commentCount int64) float64 {
	return float64(starSum+PriorMean*PriorWeight) / float64(commentCount+PriorWeight)
}

// scoreAfterComment is the SQL for the score column after adding one comment of star, written
// over the row's values before the update (SQL evaluates every SET against the old row). Both
// operands are cast to double precision so PostgreSQL and SQLite compute exactly what Score
// computes in Go. The numbers are integers the code controls, never user text.
func scoreAfterComment(starSumColumn, commentCountColumn string, star int32) sql.Querier {
	return sql.Expr(fmt.Sprintf("CAST(%s + %d AS DOUBLE PRECISION) / CAST(%s + %d AS DOUBLE PRECISION)",
		starSumColumn, int64(star)+PriorMean*PriorWeight, commentCountColumn, 1+PriorWeight))
}
