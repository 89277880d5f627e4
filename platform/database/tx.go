package database

import (
	"context"
	"errors"
	"fmt"
)

// Tx is what every Ent-generated transaction type has.
type Tx interface {
	Commit() error
	Rollback() error
}

// WithTx runs fn in a transaction begun by begin (an Ent client's Tx method), committing when
// fn returns nil and rolling back when it returns an error or panics; the panic continues after
// the rollback. Each service's store wraps it for its own Ent client.
func WithTx[T Tx](ctx context.Context, begin func(context.Context) (T, error), fn func(T) error) (err error) {
	tx, err := begin(ctx)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer func() {
		if v := recover(); v != nil {
			_ = tx.Rollback()
			panic(v)
		}
	}()
	if err := fn(tx); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return errors.Join(err, fmt.Errorf("rollback: %w", rerr))
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
