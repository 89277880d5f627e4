import { Link } from "react-router";
import { usePageTitle } from "../components/ui.js";

export function NotFoundPage({ what = "page" }: { what?: string }) {
  usePageTitle("Not found");
  return (
    <section className="empty-state">
      <h1>We could not find that {what}</h1>
      <p>
        It may have been removed or taken off the shelf. <Link to="/">Back to the homepage</Link>
      </p>
    </section>
  );
}
