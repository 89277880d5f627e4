import { useEffect, useRef, useState } from "react";
import { Link, NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { createClient } from "@connectrpc/connect";
import { AccountService } from "../gen/looklook/bff/v1/account_pb.js";
import { signOutLocally, transport } from "../api/transport.js";
import { useMe } from "../api/me.js";

const account = createClient(AccountService, transport);

export function Layout() {
  const me = useMe();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);

  // A route change closes the phone menu and moves focus to the new page for screen readers
  // and keyboards, as a full page load would.
  useEffect(() => {
    setMenuOpen(false);
    if (first.current) {
      first.current = false;
      return;
    }
    mainRef.current?.focus();
  }, [location.pathname]);

  async function signOut() {
    try {
      await account.logout({});
    } catch {
      // The session is forgotten here either way; the server ends it when the token expires.
    }
    // Leave the page first: a page for signed-in users would flash its sign-in prompt.
    navigate("/");
    signOutLocally();
    queryClient.clear();
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="header-inner">
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true">
              ⌂
            </span>
            looklook
          </Link>
          <button
            type="button"
            className="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="site-nav"
            onClick={() => setMenuOpen((o) => !o)}
          >
            Menu
          </button>
          <nav id="site-nav" aria-label="Main" className={menuOpen ? "open" : undefined}>
            <ul>
              <li>
                <NavLink to="/" end>
                  Home
                </NavLink>
              </li>
              <li>
                <NavLink to="/businesses">Businesses</NavLink>
              </li>
              <li>
                <NavLink to="/good-bosses">Good bosses</NavLink>
              </li>
              {me.signedIn && (
                <li>
                  <NavLink to="/landlord">{me.isLandlord ? "My business" : "Become a landlord"}</NavLink>
                </li>
              )}
              {me.isAdmin && (
                <li>
                  <NavLink to="/admin">Curated lists</NavLink>
                </li>
              )}
              {me.signedIn ? (
                <>
                  <li>
                    <NavLink to="/me" data-testid="nav-profile">
                      {me.user?.nickname || "Profile"}
                    </NavLink>
                  </li>
                  <li>
                    <button type="button" className="link-button" onClick={signOut}>
                      Sign out
                    </button>
                  </li>
                </>
              ) : (
                <>
                  <li>
                    <NavLink to="/signin">Sign in</NavLink>
                  </li>
                  <li>
                    <NavLink to="/signup">Sign up</NavLink>
                  </li>
                </>
              )}
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" tabIndex={-1} ref={mainRef}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>looklook — homestays picked by people who stayed there.</p>
      </footer>
    </>
  );
}
