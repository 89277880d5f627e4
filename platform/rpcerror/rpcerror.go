// Package rpcerror turns Go errors into Connect errors whose messages are safe for clients.
//
// connect-go sends a plain error's text to the client, so every error a handler returns passes
// through this package: known sentinels get their code and public message from a table (Map),
// errors from another looklook service keep their code and public message (Downstream), and
// everything else becomes a generic Internal error (Public). The internal cause is kept for the
// request log (Cause) and never sent.
package rpcerror

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"connectrpc.com/connect"
)

// Rule says which Connect code and public message a sentinel error gets.
type Rule struct {
	// Err is matched with errors.Is.
	Err error
	// Code is the Connect code sent.
	Code connect.Code
	// Message is the public message; empty uses Err's text, which must then be public-safe.
	Message string
}

// Map returns the error of the first rule err matches, else Public(err).
func Map(err error, rules ...Rule) error {
	if err == nil {
		return nil
	}
	for _, r := range rules {
		if errors.Is(err, r.Err) {
			msg := r.Message
			if msg == "" {
				msg = r.Err.Error()
			}
			return &publicError{public: connect.NewError(r.Code, errors.New(msg)), cause: err}
		}
	}
	return Public(err)
}

// New returns a Connect error with a public message.
func New(code connect.Code, message string) error {
	return connect.NewError(code, errors.New(message))
}

// InternalError is the error a client sees for anything unexpected.
func InternalError() *connect.Error {
	return connect.NewError(connect.CodeInternal, errors.New("internal error"))
}

// publicError is an error whose message is safe for clients, carrying the internal cause so the
// request log can record it.
type publicError struct {
	public *connect.Error
	cause  error
}

func (e *publicError) Error() string { return e.public.Error() }
func (e *publicError) Unwrap() error { return e.public }

// Cause returns the internal error behind a public one, or err itself.
func Cause(err error) error {
	var pe *publicError
	if errors.As(err, &pe) {
		return pe.cause
	}
	return err
}

// Public makes err safe to send to a client. A *connect.Error with a client-facing code keeps its
// message; Internal, Unknown and DataLoss errors, and errors that are not Connect errors at all,
// become a generic Internal error. Context cancellation and deadlines keep their codes.
func Public(err error) error {
	if err == nil {
		return nil
	}
	var pe *publicError
	if errors.As(err, &pe) {
		return err
	}
	var ce *connect.Error
	if errors.As(err, &ce) {
		switch ce.Code() {
		case connect.CodeInternal, connect.CodeUnknown, connect.CodeDataLoss:
			return &publicError{public: InternalError(), cause: err}
		}
		return err
	}
	switch {
	case errors.Is(err, context.Canceled):
		return &publicError{public: connect.NewError(connect.CodeCanceled, errors.New("request canceled")), cause: err}
	case errors.Is(err, context.DeadlineExceeded):
		return &publicError{public: connect.NewError(connect.CodeDeadlineExceeded, errors.New("deadline exceeded")), cause: err}
	case Unavailable(err):
		return &publicError{public: connect.NewError(connect.CodeUnavailable, errors.New("service temporarily unavailable; retry shortly")), cause: err}
	}
	return &publicError{public: InternalError(), cause: err}
}

// Unavailable reports whether err means a backing server (the database) could not be reached
// or dropped the connection: a condition that passes, for which clients should retry, as
// opposed to a bug. It recognises broken connections, refused or reset dials, and PostgreSQL's
// connection-exception and shutdown states and its "too many connections". Other resource
// errors (disk full, out of memory) do not pass by retrying and stay Internal.
func Unavailable(err error) bool {
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return true
	}
	var state interface{ SQLState() string }
	if errors.As(err, &state) {
		code := state.SQLState()
		// 08xxx connection exception; 53300 too many connections; 57P01-57P03 admin shutdown,
		// crash shutdown, cannot connect now (starting up or shutting down).
		return strings.HasPrefix(code, "08") || code == "53300" || code == "57P01" || code == "57P02" || code == "57P03"
	}
	return false
}

// Downstream converts an error from a call to another looklook service into one this service
// may return. Client-facing codes keep the remote's public message and details (such as
// protovalidate violations); an unreachable or slow service becomes Unavailable with a generic
// message, never the dial error; anything else becomes Internal.
func Downstream(err error) error {
	if err == nil {
		return nil
	}
	var ce *connect.Error
	if !errors.As(err, &ce) {
		return Public(err)
	}
	switch ce.Code() {
	case connect.CodeInvalidArgument, connect.CodeNotFound, connect.CodeAlreadyExists,
		connect.CodePermissionDenied, connect.CodeUnauthenticated, connect.CodeAborted,
		connect.CodeFailedPrecondition, connect.CodeResourceExhausted, connect.CodeOutOfRange:
		if !connect.IsWireError(ce) {
			// A client-side failure (say, an oversized message) is ours, not the caller's.
			return &publicError{public: InternalError(), cause: err}
		}
		out := connect.NewError(ce.Code(), errors.New(ce.Message()))
		for _, d := range ce.Details() {
			out.AddDetail(d)
		}
		return &publicError{public: out, cause: err}
	case connect.CodeUnavailable, connect.CodeDeadlineExceeded:
		return &publicError{public: connect.NewError(connect.CodeUnavailable, errors.New("service temporarily unavailable")), cause: err}
	case connect.CodeCanceled:
		return &publicError{public: connect.NewError(connect.CodeCanceled, errors.New("request canceled")), cause: err}
	}
	return &publicError{public: InternalError(), cause: err}
}
