import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";
import { create } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { useInfiniteQuery, useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { HomestayService } from "../gen/looklook/bff/v1/homestay_pb.js";
import { CommentService, CreateCommentRequestSchema } from "../gen/looklook/bff/v1/comment_pb.js";
import type { Comment, Homestay } from "../gen/looklook/bff/v1/types_pb.js";
import { ErrorNotice, FormError, Img, Loading, LoadMore, Price, RatingText, TextArea, usePageTitle } from "../components/ui.js";
import { useRpcForm } from "../components/form.js";
import { useMe } from "../api/me.js";
import { formatDate, formatMoney } from "../lib/format.js";
import { NotFoundPage } from "./NotFound.js";
import { ActivityToggle } from "./Admin.js";
import { ActivityKind } from "../gen/looklook/bff/v1/admin_pb.js";

const degradedLabels: Record<string, string> = {
  business: "the business",
  landlord: "the landlord's profile",
  comments: "the comments",
};

export function parseId(raw: string | undefined): bigint | null {
  if (!raw || !/^[1-9][0-9]{0,18}$/.test(raw)) return null;
  return BigInt(raw);
}

export function HomestayPage() {
  const id = parseId(useParams().id);
  if (id === null) return <NotFoundPage />;
  return <HomestayDetail id={id} />;
}

function HomestayDetail({ id }: { id: bigint }) {
  const me = useMe();
  const q = useQuery(HomestayService.method.getHomestay, { id });
  usePageTitle(q.data?.homestay?.title);
  if (q.isPending) return <Loading label="Loading the homestay…" />;
  if (q.isError) {
    if (q.error.code === Code.NotFound) return <NotFoundPage what="homestay" />;
    return <ErrorNotice error={q.error} onRetry={() => q.refetch()} />;
  }
  const { homestay, business, landlord, recentComments, commentsNextPageToken, degraded } = q.data;
  if (!homestay) return <NotFoundPage what="homestay" />;
  return (
    <article className="homestay" aria-labelledby="homestay-title">
      {degraded.length > 0 && (
        <p className="notice notice-warn" role="status">
          Some parts of this page could not be loaded just now ({degraded.map((d) => degradedLabels[d] ?? d).join(", ")}). The rest is up to date.
        </p>
      )}
      <Gallery homestay={homestay} />
      <div className="homestay-layout">
        <div className="homestay-main">
          <h1 id="homestay-title">{homestay.title}</h1>
          {homestay.subtitle && <p className="subtitle">{homestay.subtitle}</p>}
          <p>
            <RatingText rating={homestay.rating} />
          </p>
          <dl className="facts">
            <div>
              <dt>Price</dt>
              <dd>
                <Price homestay={homestay} />
              </dd>
            </div>
            <div>
              <dt>Sleeps</dt>
              <dd>
                {homestay.peopleCount} guest{homestay.peopleCount === 1 ? "" : "s"}
              </dd>
            </div>
            {(homestay.foodInfo || homestay.foodPriceCents > 0n) && (
              <div>
                <dt>Meals</dt>
                <dd>
                  {homestay.foodInfo}
                  {homestay.foodPriceCents > 0n && ` (${formatMoney(homestay.foodPriceCents)})`}
                </dd>
              </div>
            )}
          </dl>
          {homestay.info && <p className="prose">{homestay.info}</p>}
        </div>
        <aside className="homestay-side" aria-label="Landlord">
          <div className="landlord-card">
            <Img src={landlord?.avatar ?? ""} alt="" label={landlord?.nickname ?? business?.title ?? "?"} className="avatar" />
            <div>
              <p className="landlord-name">{landlord?.nickname ?? "Landlord"}</p>
              {business && (
                <p>
                  <Link to={`/businesses/${business.id}`}>{business.title}</Link>
                </p>
              )}
              {landlord?.info && <p className="muted">{landlord.info}</p>}
            </div>
          </div>
          {me.isAdmin && <ActivityToggle kind={ActivityKind.PREFERRED_HOMESTAY} dataId={homestay.id} />}
        </aside>
      </div>
      <Comments homestayId={homestay.id} recent={recentComments} nextToken={commentsNextPageToken} />
    </article>
  );
}

function Gallery({ homestay }: { homestay: Homestay }) {
  const urls = homestay.bannerUrls.length > 0 ? homestay.bannerUrls : [homestay.coverUrl];
  return (
    <div className="gallery" tabIndex={0} role="region" aria-label={`Pictures of ${homestay.title}`}>
      {urls.map((u, i) => (
        <Img key={`${i}-${u}`} src={u} alt={`${homestay.title}, picture ${i + 1} of ${urls.length}`} label={homestay.title} className="gallery-image" />
      ))}
    </div>
  );
}

function Comments({ homestayId, recent, nextToken }: { homestayId: bigint; recent: Comment[]; nextToken: string }) {
  const [showMore, setShowMore] = useState(false);
  return (
    <section className="comments" aria-labelledby="comments-title">
      <h2 id="comments-title">Reviews</h2>
      <ReviewForm homestayId={homestayId} />
      {recent.length === 0 ? (
        <p className="muted">No reviews yet. Be the first.</p>
      ) : (
        <ul className="comment-list" data-testid="comments">
          {recent.map((c) => (
            <CommentItem key={c.id.toString()} comment={c} />
          ))}
        </ul>
      )}
      {nextToken &&
        (showMore ? (
          <MoreComments homestayId={homestayId} token={nextToken} />
        ) : (
          <button type="button" className="button-secondary load-more" onClick={() => setShowMore(true)}>
            More reviews
          </button>
        ))}
    </section>
  );
}

function MoreComments({ homestayId, token }: { homestayId: bigint; token: string }) {
  const q = useInfiniteQuery(
    CommentService.method.listComments,
    { homestayId, pageSize: 10, pageToken: token },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined },
  );
  if (q.isPending) return <Loading label="Loading reviews…" />;
  if (q.isError) return <ErrorNotice error={q.error} onRetry={() => q.refetch()} />;
  return (
    <>
      <ul className="comment-list">
        {q.data.pages
          .flatMap((p) => p.comments)
          .map((c) => (
            <CommentItem key={c.id.toString()} comment={c} />
          ))}
      </ul>
      <LoadMore hasNext={q.hasNextPage} fetching={q.isFetchingNextPage} onClick={() => q.fetchNextPage()} label="More reviews" />
    </>
  );
}

function CommentItem({ comment }: { comment: Comment }) {
  const name = comment.author?.nickname || "A guest";
  return (
    <li className="comment" data-testid="comment">
      <div className="comment-head">
        <Img src={comment.author?.avatar ?? ""} alt="" label={name} className="avatar avatar-small" />
        <span className="comment-author">{name}</span>
        <span className="stars" aria-label={`${comment.star} out of 5 stars`}>
          {"★".repeat(comment.star)}
          <span className="stars-empty">{"★".repeat(Math.max(0, 5 - comment.star))}</span>
        </span>
        <time className="muted">{formatDate(comment.createTime)}</time>
      </div>
      <p className="comment-body">{comment.content}</p>
    </li>
  );
}

function ReviewForm({ homestayId }: { homestayId: bigint }) {
  const me = useMe();
  const queryClient = useQueryClient();
  const [content, setContent] = useState("");
  const [star, setStar] = useState(0);
  const [done, setDone] = useState(false);
  const form = useRpcForm();
  const createComment = useMutation(CommentService.method.createComment);

  if (!me.signedIn) {
    return (
      <p className="muted">
        <Link to="/signin">Sign in</Link> to write a review.
      </p>
    );
  }
  if (done) return <p role="status">Thank you for your review.</p>;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const req = create(CreateCommentRequestSchema, { homestayId, content, star });
    const ok = await form.submit(CreateCommentRequestSchema, req, (m) => createComment.mutateAsync(m), {
      onError: (err) => {
        if (err.code === Code.AlreadyExists) {
          form.setFormError("You have already reviewed this homestay.");
          return true;
        }
        return false;
      },
    });
    if (ok) {
      setDone(true);
      await queryClient.invalidateQueries();
    }
  }

  return (
    <form className="review-form" onSubmit={onSubmit} noValidate aria-labelledby="review-title">
      <h3 id="review-title">Write a review</h3>
      <fieldset className={`field stars-input${form.errors.star ? " field-invalid" : ""}`} aria-describedby={form.errors.star ? "star-error" : undefined}>
        <legend>Your rating</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} className="star-option">
            <input type="radio" name="star" value={n} checked={star === n} onChange={() => setStar(n)} aria-invalid={form.errors.star ? true : undefined} />
            {n} ★
          </label>
        ))}
        {form.errors.star && (
          <p className="field-error" id="star-error" data-field="star">
            {form.errors.star}
          </p>
        )}
      </fieldset>
      <TextArea label="Your review" name="content" value={content} onChange={(e) => setContent(e.target.value)} error={form.errors.content} rows={4} />
      <FormError message={form.formError} />
      <button type="submit" disabled={form.busy}>
        {form.busy ? "Posting…" : "Post review"}
      </button>
    </form>
  );
}
