// Package compose holds the fan-out steps several BFF methods share: turning travel's rows
// into cards with their business titles, and comments into comments with their authors —
// each with one batch call, never one call per row.
package compose

import (
	"context"
	"log/slog"
	"slices"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/bff/internal/convert"
	"github.com/looklook/looklook/bff/internal/downstream"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
)

// Composer builds public messages out of internal ones.
type Composer struct {
	clients downstream.Clients
	logger  *slog.Logger
}

// New returns a Composer.
func New(clients downstream.Clients, logger *slog.Logger) *Composer {
	return &Composer{clients: clients, logger: logger}
}

// batchLimit is the most ids the internal BatchGet methods take.
const batchLimit = 100

func unique(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// Homestays maps homestays to cards with their businesses' titles, fetched in one batch. A
// card without its business title is still a useful card, so a failure there is logged and
// the titles are left empty.
func (c *Composer) Homestays(ctx context.Context, hs []*travelv1.Homestay) []*bffv1.Homestay {
	ids := make([]int64, 0, len(hs))
	for _, h := range hs {
		ids = append(ids, h.GetBusinessId())
	}
	titles := map[int64]string{}
	for chunk := range slices.Chunk(unique(ids), batchLimit) {
		res, err := c.clients.Travel.BatchGetBusinesses(ctx, connect.NewRequest(&travelv1.BatchGetBusinessesRequest{Ids: chunk}))
		if err != nil {
			c.logger.WarnContext(ctx, "business titles unavailable for homestay cards", "error", err.Error())
			break
		}
		for _, b := range res.Msg.GetBusinesses() {
			titles[b.GetId()] = b.GetFields().GetTitle()
		}
	}
	out := make([]*bffv1.Homestay, 0, len(hs))
	for _, h := range hs {
		out = append(out, convert.Homestay(h, titles[h.GetBusinessId()]))
	}
	return out
}

// Profiles fetches users' public profiles in batches of at most 100 ids.
func (c *Composer) Profiles(ctx context.Context, userIDs []int64) (map[int64]*bffv1.Profile, error) {
	out := map[int64]*bffv1.Profile{}
	for chunk := range slices.Chunk(unique(userIDs), batchLimit) {
		res, err := c.clients.Users.BatchGetUsers(ctx, connect.NewRequest(&usercenterv1.BatchGetUsersRequest{Ids: chunk}))
		if err != nil {
			return out, err
		}
		for _, u := range res.Msg.GetUsers() {
			out[u.GetId()] = convert.Profile(u)
		}
	}
	return out, nil
}

// Comments attaches authors to comments with one BatchGetUsers call. It reports whether the
// authors could be loaded; without them the comments are still shown, anonymously.
func (c *Composer) Comments(ctx context.Context, cs []*travelv1.Comment) ([]*bffv1.Comment, bool) {
	ids := make([]int64, 0, len(cs))
	for _, cm := range cs {
		ids = append(ids, cm.GetUserId())
	}
	authors, err := c.Profiles(ctx, ids)
	ok := err == nil
	if !ok {
		c.logger.WarnContext(ctx, "comment authors unavailable", "error", err.Error())
	}
	out := make([]*bffv1.Comment, 0, len(cs))
	for _, cm := range cs {
		out = append(out, convert.Comment(cm, authors[cm.GetUserId()]))
	}
	return out, ok
}
