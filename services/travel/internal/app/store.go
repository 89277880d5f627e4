package app

import "context"

// Store is what the rules need from storage. By-id reads go through the cache; lists return
// ids (or keys) from keyset queries, and the rules fetch the rows by id, so list pages share the
// cache too. Writes run in one transaction each and invalidate the cache after commit.
//
// The update methods take a function that sees the current row inside the transaction and
// changes it, or refuses with an error; the store then writes it only if its version is still the
// one read (optimistic locking) and bumps the version.
type Store interface {
	// Homestay returns a homestay whatever its shelf state, or ErrHomestayNotFound.
	Homestay(ctx context.Context, id int64) (*Homestay, error)
	// Homestays returns the homestays that exist among ids, by id.
	Homestays(ctx context.Context, ids []int64) (map[int64]*Homestay, error)
	// Business returns a business, or ErrBusinessNotFound.
	Business(ctx context.Context, id int64) (*Business, error)
	// Businesses returns the businesses that exist among ids, by id.
	Businesses(ctx context.Context, ids []int64) (map[int64]*Business, error)
	// BusinessIDByOwner returns the id of the business a user owns, or ErrBusinessNotFound.
	BusinessIDByOwner(ctx context.Context, ownerUserID int64) (int64, error)

	// BusinessHomestayIDs returns up to limit ids of a business's on-shelf homestays below
	// beforeID (0: from the newest), newest first.
	BusinessHomestayIDs(ctx context.Context, businessID, beforeID int64, limit int) ([]int64, error)
	// LandlordHomestayIDs returns up to limit ids of a landlord's homestays, on and off shelf,
	// below beforeID (0: from the newest), newest first.
	LandlordHomestayIDs(ctx context.Context, landlordUserID, beforeID int64, limit int) ([]int64, error)
	// OpenBusinessIDs returns up to limit ids of open businesses below beforeID (0: from the
	// newest), newest first.
	OpenBusinessIDs(ctx context.Context, beforeID int64, limit int) ([]int64, error)
	// PreferredEntries returns up to limit enabled preferred-homestay entries whose homestay is
	// on shelf, after the given position (nil: from the top), in list order.
	PreferredEntries(ctx context.Context, after *ActivityKey, limit int) ([]Activity, error)
	// GoodBossIDs returns up to limit ids of open businesses with an enabled good-boss entry,
	// best rated first.
	GoodBossIDs(ctx context.Context, limit int) ([]int64, error)
	// RankedHomestays returns up to limit on-shelf homestays by rating, after the given
	// position (nil: from the top).
	RankedHomestays(ctx context.Context, after *RankKey, limit int) ([]RankKey, error)
	// CommentedAmong returns which of homestayIDs the user has commented on.
	CommentedAmong(ctx context.Context, userID int64, homestayIDs []int64) (map[int64]bool, error)
	// Comments returns up to limit comments of a homestay below beforeID (0: from the newest),
	// newest first.
	Comments(ctx context.Context, homestayID, beforeID int64, limit int) ([]Comment, error)

	// CreateComment inserts a comment and adds its star to the homestay's and the business's
	// rating in one transaction. check sees the homestay first and may refuse. A second comment
	// by the same user is ErrCommentExists.
	CreateComment(ctx context.Context, c Comment, check func(*Homestay) error) (*Comment, error)
	// CreateBusiness inserts a business; a user's second one is ErrBusinessExists.
	CreateBusiness(ctx context.Context, ownerUserID int64, f BusinessFields) (*Business, error)
	// UpdateBusiness applies change to a business and writes its fields.
	UpdateBusiness(ctx context.Context, id int64, change func(*Business) error) (*Business, error)
	// CreateHomestay inserts an off-shelf homestay into a business.
	CreateHomestay(ctx context.Context, businessID, landlordUserID int64, f HomestayFields) (*Homestay, error)
	// UpdateHomestay applies change to a homestay and writes its fields and shelf state.
	UpdateHomestay(ctx context.Context, id int64, change func(*Homestay) error) (*Homestay, error)
	// SetActivity inserts or updates the entry for (kind, data_id).
	SetActivity(ctx context.Context, a Activity) (*Activity, error)
}
