package app

import "errors"

// Sentinel errors. The store maps storage errors to them; internal/server maps them to Connect
// codes and public messages.
var (
	// ErrHomestayNotFound: no such homestay, or the caller may not see it.
	ErrHomestayNotFound = errors.New("homestay not found")
	// ErrBusinessNotFound: no such business.
	ErrBusinessNotFound = errors.New("business not found")
	// ErrNotHomestayOwner: the caller is not the homestay's landlord.
	ErrNotHomestayOwner = errors.New("you do not own this homestay")
	// ErrNotBusinessOwner: the caller is not the business's owner.
	ErrNotBusinessOwner = errors.New("you do not own this business")
	// ErrStaleHomestay: the homestay changed since the caller read the version it sent.
	ErrStaleHomestay = errors.New("the homestay was changed by someone else; reload and retry")
	// ErrStaleBusiness: the business changed since the caller read the version it sent.
	ErrStaleBusiness = errors.New("the business was changed by someone else; reload and retry")
	// ErrBusinessExists: the user already owns a business.
	ErrBusinessExists = errors.New("you already have a business")
	// ErrNoBusiness: the landlord must create a business before adding homestays.
	ErrNoBusiness = errors.New("create your business first")
	// ErrCommentExists: the user already reviewed the homestay.
	ErrCommentExists = errors.New("you have already reviewed this homestay")
	// ErrOwnHomestay: a landlord may not review their own homestay.
	ErrOwnHomestay = errors.New("you cannot review your own homestay")
	// ErrInvalidPageToken: the page token was not issued by this list, or was altered.
	ErrInvalidPageToken = errors.New("invalid page token")
	// ErrBlankContent: a comment has only white space.
	ErrBlankContent = errors.New("content must not be blank")
	// ErrInvalidArgument: a request value the API schema cannot express a rule for.
	ErrInvalidArgument = errors.New("invalid argument")
)
