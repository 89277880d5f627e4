package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/looklook/looklook/platform/database"
	"github.com/looklook/looklook/services/travel/ent"
	"github.com/looklook/looklook/services/travel/ent/activity"
	"github.com/looklook/looklook/services/travel/ent/business"
	"github.com/looklook/looklook/services/travel/ent/homestay"
	"github.com/looklook/looklook/services/travel/internal/store"
)

// options are the command-line flags.
type options struct {
	databaseURL string
	businesses  int
	homestays   int
	comments    int
	users       int
	userBase    int64
	preferred   int
	goodBosses  int
	seed        uint64
	quiet       bool
}

// Batch sizes keep each INSERT under both PostgreSQL's 65,535 and SQLite's 32,766 bound
// parameters: a homestay row binds 19 values, a comment 5, a business 13.
const (
	homestayBatch = 1000
	commentBatch  = 5000
	businessBatch = 2000
)

// minOwnerID is the lowest synthetic landlord id, far above the ids of real and demo users.
const minOwnerID = 1_000_000

func parse(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("travel-gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	def := os.Getenv("LOOKLOOK_DATABASE_URL")
	if def == "" {
		def = "sqlite:./.looklook/travel.db"
	}
	fs.StringVar(&o.databaseURL, "database-url", def, "travel database (postgres://… or sqlite:PATH); default $LOOKLOOK_DATABASE_URL")
	fs.IntVar(&o.homestays, "homestays", 100_000, "homestays to create")
	fs.IntVar(&o.comments, "comments", 1_000_000, "comments to create, spread unevenly over the homestays")
	fs.IntVar(&o.businesses, "businesses", 0, "businesses to create (0: one per 20 homestays)")
	fs.IntVar(&o.users, "users", 100_000, "distinct commenter user ids; a homestay gets at most this many comments")
	fs.Int64Var(&o.userBase, "user-base", 2_000_000, "first commenter user id")
	fs.IntVar(&o.preferred, "preferred", 200, "preferred-homestay list entries to add")
	fs.IntVar(&o.goodBosses, "good-bosses", 50, "good-boss list entries to add")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed; the same seed plans the same catalogue")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress bar")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.businesses == 0 {
		o.businesses = max(1, o.homestays/20)
	}
	switch {
	case o.homestays < 0, o.comments < 0, o.businesses < 1, o.users < 1, o.userBase < 1:
		return o, errors.New("counts must be positive")
	case o.comments > 0 && o.homestays == 0:
		return o, errors.New("comments need homestays")
	case o.comments > o.homestays*o.users:
		return o, fmt.Errorf("-comments %d exceeds -homestays × -users: a user comments on a homestay once", o.comments)
	}
	return o, nil
}

// run generates the catalogue the flags describe.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parse(args, stderr)
	if err != nil {
		return err
	}
	drv, err := database.Open(ctx, o.databaseURL)
	if err != nil {
		return err
	}
	client := ent.NewClient(ent.Driver(drv))
	defer client.Close()
	if err := store.Migrate(ctx, client); err != nil {
		return err
	}
	ownerBase, err := nextOwnerID(ctx, client)
	if err != nil {
		return err
	}

	start := time.Now()
	p := plan(o, ownerBase)
	total := int64(len(p.businesses) + len(p.homestays) + len(p.stars) + o.preferred + o.goodBosses)
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetVisibility(!o.quiet),
		progressbar.OptionSetDescription("inserting"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("rows"),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionSetPredictTime(true),
	)
	g := &generator{client: client, plan: p, opts: o, bar: bar}
	if err := g.insert(ctx); err != nil {
		return err
	}
	_ = bar.Finish()
	fmt.Fprintf(stdout, "\ninserted %d businesses, %d homestays, %d comments, %d preferred and %d good-boss entries in %s\n",
		len(p.businesses), len(p.homestays), len(p.stars), g.preferred, g.goodBosses, time.Since(start).Round(time.Millisecond))
	return nil
}

// nextOwnerID is the first synthetic landlord id: above every owner already present.
func nextOwnerID(ctx context.Context, client *ent.Client) (int64, error) {
	var v []struct {
		Max *int64 `json:"max"`
	}
	if err := client.Business.Query().Aggregate(ent.Max(business.FieldOwnerUserID)).Scan(ctx, &v); err != nil {
		return 0, fmt.Errorf("read largest owner id: %w", err)
	}
	next := int64(minOwnerID)
	if len(v) == 1 && v[0].Max != nil && *v[0].Max >= next {
		next = *v[0].Max + 1
	}
	return next, nil
}

// planned rows.
type (
	plannedBusiness struct {
		owner          int64
		starSum, count int64
		open           bool
		title          string
	}
	plannedHomestay struct {
		business     int // index into businesses
		onShelf      bool
		title        string
		people       int32
		perPerson    bool
		price        int64
		firstComment int // index into stars
		count        int
		userOffset   int
		starSum      int64
		created      time.Time
	}
	catalogue struct {
		businesses []plannedBusiness
		homestays  []plannedHomestay
		stars      []int8 // every comment's star, homestay by homestay
	}
)

// plan decides the whole catalogue in memory, so ratings can be written with the rows.
func plan(o options, ownerBase int64) *catalogue {
	r := rand.New(rand.NewPCG(o.seed, 0x7a11e1))
	v := newVocabulary()
	c := &catalogue{
		businesses: make([]plannedBusiness, o.businesses),
		homestays:  make([]plannedHomestay, o.homestays),
		stars:      make([]int8, 0, o.comments),
	}
	for i := range c.businesses {
		c.businesses[i] = plannedBusiness{
			owner: ownerBase + int64(i),
			open:  r.IntN(20) != 0,
			title: fmt.Sprintf("%s %s %s", pick(r, v.places), pick(r, v.scenery), pick(r, v.shops)),
		}
	}

	// Popularity is log-normal: most homestays get a few comments, a few get hundreds.
	weights := make([]float64, o.homestays)
	var sum float64
	for i := range weights {
		weights[i] = math.Exp(r.NormFloat64() * 1.2)
		sum += weights[i]
	}
	counts := make([]int, o.homestays)
	assigned := 0
	for i, w := range weights {
		counts[i] = min(int(float64(o.comments)*w/sum), o.users)
		assigned += counts[i]
	}
	for assigned < o.comments {
		i := r.IntN(o.homestays)
		if counts[i] < o.users {
			counts[i]++
			assigned++
		}
	}

	now := time.Now().UTC().Truncate(time.Microsecond)
	span := 2 * 365 * 24 * time.Hour
	for i := range c.homestays {
		b := r.IntN(o.businesses)
		quality := 2.5 + r.Float64()*2.5
		h := plannedHomestay{
			business:     b,
			onShelf:      r.IntN(10) != 0,
			title:        fmt.Sprintf("%s %s in %s", pick(r, v.adjectives), pick(r, v.kinds), pick(r, v.places)),
			people:       int32(1 + r.IntN(8)),
			perPerson:    r.IntN(5) == 0,
			price:        int64(15+r.IntN(150)) * 1000,
			firstComment: len(c.stars),
			count:        counts[i],
			userOffset:   r.IntN(o.users),
			created:      now.Add(-span + time.Duration(float64(span)*float64(i)/float64(max(1, o.homestays)))),
		}
		for range h.count {
			star := int8(min(max(math.Round(quality+r.NormFloat64()*0.8), 1), 5))
			c.stars = append(c.stars, star)
			h.starSum += int64(star)
		}
		c.homestays[i] = h
		c.businesses[b].starSum += h.starSum
		c.businesses[b].count += int64(h.count)
	}
	return c
}

func pick(r *rand.Rand, words []string) string { return words[r.IntN(len(words))] }

type generator struct {
	client                *ent.Client
	plan                  *catalogue
	opts                  options
	bar                   *progressbar.ProgressBar
	businessIDs           []int64
	homestayIDs           []int64
	preferred, goodBosses int
}

func (g *generator) insert(ctx context.Context) error {
	if err := g.insertBusinesses(ctx); err != nil {
		return fmt.Errorf("businesses: %w", err)
	}
	if err := g.insertHomestays(ctx); err != nil {
		return fmt.Errorf("homestays: %w", err)
	}
	if err := g.insertComments(ctx); err != nil {
		return fmt.Errorf("comments: %w", err)
	}
	if err := g.insertActivities(ctx); err != nil {
		return fmt.Errorf("activities: %w", err)
	}
	return nil
}

func (g *generator) insertBusinesses(ctx context.Context) error {
	bs := g.plan.businesses
	for lo := 0; lo < len(bs); lo += businessBatch {
		batch := bs[lo:min(lo+businessBatch, len(bs))]
		builders := make([]*ent.BusinessCreate, len(batch))
		for i, b := range batch {
			n := lo + i + 1
			builders[i] = g.client.Business.Create().
				SetOwnerUserID(b.owner).
				SetTitle(b.title).
				SetInfo("Homestays run by a local family.").
				SetBossInfo("A host who loves showing guests around.").
				SetTags([]string{"generated"}).
				SetCoverURL(fmt.Sprintf("https://images.looklook.dev/businesses/g%d-cover.jpg", n)).
				SetOpen(b.open).
				SetStarSum(b.starSum).
				SetCommentCount(b.count).
				SetScore(store.Score(b.starSum, b.count))
		}
		rows, err := g.client.Business.CreateBulk(builders...).Save(ctx)
		if err != nil {
			return err
		}
		for _, row := range rows {
			g.businessIDs = append(g.businessIDs, row.ID)
		}
		_ = g.bar.Add(len(batch))
	}
	return nil
}

func (g *generator) insertHomestays(ctx context.Context) error {
	hs := g.plan.homestays
	for lo := 0; lo < len(hs); lo += homestayBatch {
		batch := hs[lo:min(lo+homestayBatch, len(hs))]
		builders := make([]*ent.HomestayCreate, len(batch))
		for i, h := range batch {
			n := lo + i + 1
			saleType := homestay.SaleTypePerRoom
			if h.perPerson {
				saleType = homestay.SaleTypePerPerson
			}
			builders[i] = g.client.Homestay.Create().
				SetBusinessID(g.businessIDs[h.business]).
				SetLandlordUserID(g.plan.businesses[h.business].owner).
				SetTitle(h.title).
				SetSubtitle("Generated for load tests").
				SetBannerUrls([]string{fmt.Sprintf("https://images.looklook.dev/homestays/g%d.jpg", n)}).
				SetInfo("A generated homestay.").
				SetPeopleCount(h.people).
				SetOnShelf(h.onShelf).
				SetSaleType(saleType).
				SetPriceCents(h.price).
				SetMarketPriceCents(h.price * 5 / 4).
				SetStarSum(h.starSum).
				SetCommentCount(int64(h.count)).
				SetScore(store.Score(h.starSum, int64(h.count))).
				SetCreateTime(h.created).
				SetUpdateTime(h.created)
		}
		rows, err := g.client.Homestay.CreateBulk(builders...).Save(ctx)
		if err != nil {
			return err
		}
		for _, row := range rows {
			g.homestayIDs = append(g.homestayIDs, row.ID)
		}
		_ = g.bar.Add(len(batch))
	}
	return nil
}

// insertComments writes each homestay's comments from distinct users (consecutive ids from its
// random offset, wrapping around), with creation times rising in insertion order so "newest
// first" by id and by time agree.
func (g *generator) insertComments(ctx context.Context) error {
	total := len(g.plan.stars)
	if total == 0 {
		return nil
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	span := 365 * 24 * time.Hour
	builders := make([]*ent.CommentCreate, 0, commentBatch)
	flush := func() error {
		if len(builders) == 0 {
			return nil
		}
		if err := g.client.Comment.CreateBulk(builders...).Exec(ctx); err != nil {
			return err
		}
		_ = g.bar.Add(len(builders))
		builders = builders[:0]
		return nil
	}
	texts := newVocabulary().texts
	written := 0
	for hi, h := range g.plan.homestays {
		for j := range h.count {
			star := g.plan.stars[h.firstComment+j]
			user := g.opts.userBase + int64((h.userOffset+j)%g.opts.users)
			builders = append(builders, g.client.Comment.Create().
				SetHomestayID(g.homestayIDs[hi]).
				SetUserID(user).
				SetContent(texts[int(star)-1][(hi+j)%len(texts[int(star)-1])]).
				SetStar(int32(star)).
				SetCreateTime(now.Add(-span+time.Duration(float64(span)*float64(written)/float64(total)))))
			written++
			if len(builders) == commentBatch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// insertActivities adds curated-list entries for random on-shelf homestays and open businesses;
// entries that already exist are left alone.
func (g *generator) insertActivities(ctx context.Context) error {
	r := rand.New(rand.NewPCG(g.opts.seed, 0xac71))
	var onShelf []int64
	for i, h := range g.plan.homestays {
		if h.onShelf {
			onShelf = append(onShelf, g.homestayIDs[i])
		}
	}
	var open []int64
	for i, b := range g.plan.businesses {
		if b.open {
			open = append(open, g.businessIDs[i])
		}
	}
	add := func(kind activity.Kind, ids []int64, n int) (int, error) {
		n = min(n, len(ids))
		if n == 0 {
			return 0, nil
		}
		builders := make([]*ent.ActivityCreate, n)
		for i, j := range r.Perm(len(ids))[:n] {
			builders[i] = g.client.Activity.Create().
				SetKind(kind).
				SetDataID(ids[j]).
				SetEnabled(true).
				SetSortOrder(int32(r.IntN(1000)))
		}
		err := g.client.Activity.CreateBulk(builders...).
			OnConflictColumns(activity.FieldKind, activity.FieldDataID).
			DoNothing().
			Exec(ctx)
		if err != nil {
			return 0, err
		}
		_ = g.bar.Add(n)
		return n, nil
	}
	var err error
	if g.preferred, err = add(activity.KindPreferredHomestay, onShelf, g.opts.preferred); err != nil {
		return err
	}
	g.goodBosses, err = add(activity.KindGoodBoss, open, g.opts.goodBosses)
	return err
}
