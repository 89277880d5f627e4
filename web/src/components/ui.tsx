import { useEffect, useId, useState, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { Link } from "react-router";
import type { Homestay, Rating } from "../gen/looklook/bff/v1/types_pb.js";
import { describeError } from "../api/errors.js";
import { formatMoney, formatRating, saleTypeLabel } from "../lib/format.js";

/** usePageTitle names the browser tab after the page. */
export function usePageTitle(title: string | undefined) {
  useEffect(() => {
    document.title = title ? `${title} · looklook` : "looklook";
  }, [title]);
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div className="notice notice-error" role="alert">
      <p>{describeError(error)}</p>
      {onRetry && (
        <button type="button" className="button-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Img shows a picture, or a tinted placeholder with an initial when it fails to load. */
export function Img({ src, alt, label, className }: { src: string; alt: string; label: string; className?: string }) {
  const [failed, setFailed] = useState(false);
  useEffect(() => setFailed(false), [src]);
  if (!src || failed) {
    let hue = 0;
    for (const ch of label) hue = (hue * 31 + ch.charCodeAt(0)) % 360;
    return (
      <div className={`img-placeholder ${className ?? ""}`} style={{ background: `hsl(${hue} 45% 78%)` }} role={alt ? "img" : undefined} aria-label={alt || undefined}>
        <span aria-hidden="true">{label.trim().charAt(0).toUpperCase() || "·"}</span>
      </div>
    );
  }
  return <img className={className} src={src} alt={alt} loading="lazy" onError={() => setFailed(true)} />;
}

export function RatingText({ rating }: { rating: Rating | undefined }) {
  return <span className="rating">{formatRating(rating?.average ?? 0, rating?.count ?? 0n)}</span>;
}

export function Price({ homestay }: { homestay: Homestay }) {
  return (
    <span className="price">
      <strong data-testid="price">{formatMoney(homestay.priceCents)}</strong>
      {homestay.marketPriceCents > homestay.priceCents && (
        <s className="market-price" aria-label={`usually ${formatMoney(homestay.marketPriceCents)}`}>
          {formatMoney(homestay.marketPriceCents)}
        </s>
      )}
      <span className="sale-type"> {saleTypeLabel(homestay.saleType)}</span>
    </span>
  );
}

export function HomestayCard({ homestay }: { homestay: Homestay }) {
  return (
    <li className="card" data-testid="homestay-card">
      <Link to={`/homestays/${homestay.id}`} className="card-link">
        <Img src={homestay.coverUrl} alt="" label={homestay.title} className="card-image" />
        <div className="card-body">
          <h3 className="card-title">{homestay.title}</h3>
          {homestay.businessTitle && <p className="muted">{homestay.businessTitle}</p>}
          <Price homestay={homestay} />
          <RatingText rating={homestay.rating} />
        </div>
      </Link>
    </li>
  );
}

export function HomestayGrid({ homestays, empty }: { homestays: Homestay[]; empty: string }) {
  if (homestays.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="grid">
      {homestays.map((h) => (
        <HomestayCard key={h.id.toString()} homestay={h} />
      ))}
    </ul>
  );
}

/** fieldDomId turns a proto field path into an element id. */
export function fieldDomId(name: string) {
  return `field-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

type FieldShared = { label: string; name: string; error?: string; hint?: ReactNode };

function FieldFrame({ label, name, error, hint, id, children }: FieldShared & { id: string; children: ReactNode }) {
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && !error && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`} data-field={name}>
          {error}
        </p>
      )}
    </div>
  );
}

function describedBy(id: string, error?: string, hint?: ReactNode) {
  return error ? `${id}-error` : hint ? `${id}-hint` : undefined;
}

export function TextField({ label, name, error, hint, ...rest }: FieldShared & InputHTMLAttributes<HTMLInputElement>) {
  const id = fieldDomId(name);
  return (
    <FieldFrame label={label} name={name} error={error} hint={hint} id={id}>
      <input id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)} {...rest} />
    </FieldFrame>
  );
}

export function TextArea({ label, name, error, hint, ...rest }: FieldShared & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = fieldDomId(name);
  return (
    <FieldFrame label={label} name={name} error={error} hint={hint} id={id}>
      <textarea id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)} {...rest} />
    </FieldFrame>
  );
}

export function SelectField({ label, name, error, hint, children, ...rest }: FieldShared & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = fieldDomId(name);
  return (
    <FieldFrame label={label} name={name} error={error} hint={hint} id={id}>
      <select id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)} {...rest}>
        {children}
      </select>
    </FieldFrame>
  );
}

export function CheckboxField({ label, name, checked, onChange }: { label: string; name: string; checked: boolean; onChange: (v: boolean) => void }) {
  const id = useId();
  return (
    <div className="field field-check">
      <input id={id} name={name} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

export function FormError({ message }: { message: string }) {
  if (!message) return null;
  return (
    <div className="notice notice-error" role="alert">
      {message}
    </div>
  );
}

export function LoadMore({ hasNext, fetching, onClick, label = "Load more" }: { hasNext: boolean; fetching: boolean; onClick: () => void; label?: string }) {
  if (!hasNext) return null;
  return (
    <button type="button" className="button-secondary load-more" onClick={onClick} disabled={fetching} aria-busy={fetching}>
      {fetching ? "Loading…" : label}
    </button>
  );
}
