// Browser tests: the whole product clicked through in Chromium against the real launcher.
// Run with `node --test e2e/` (make web-test). Screenshots of every open page are saved to
// web/test-results/ when a step fails, and to docs/screenshots/ when UPDATE_SCREENSHOTS=1.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, newContext, resultsDir, screenshot, screenshotsDir, startSystem, updateScreenshots } from "./harness.mjs";

const password = "correct-horse-42";
const run = Date.now().toString().slice(-8);
let system;
let browser;

before(async () => {
  system = await startSystem();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await system?.stop();
});

/**
 * steps runs a scenario's steps as subtests, in order: after a failure the rest are skipped
 * (they depend on it) and every open page is photographed into web/test-results/.
 */
function steps(t, pages) {
  let failed = false;
  return async (name, fn) => {
    if (failed) {
      await t.test(name, { skip: "an earlier step failed" }, () => {});
      return;
    }
    await t.test(name, async () => {
      try {
        await fn();
      } catch (e) {
        failed = true;
        for (const [who, page] of Object.entries(pages)) {
          if (!page || page.isClosed()) continue;
          try {
            const file = await screenshot(page, resultsDir, `${t.name}--${name}--${who}`, { fullPage: true });
            console.log(`# screenshot: ${file}`);
          } catch {
            // A crashed page cannot be photographed; the error below says why.
          }
        }
        throw e;
      }
    });
  };
}

async function readme(page, name, options = {}) {
  if (!updateScreenshots) return;
  // A full-page picture of a scrolled page would show the sticky header mid-page.
  if (options.fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, screenshotsDir, name, options);
}

async function signUp(page, mobile, nickname) {
  await page.goto("/signup");
  await page.getByLabel("Mobile number").fill(mobile);
  await page.getByLabel("Password").fill(password);
  await page.getByLabel("Nickname").fill(nickname);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByTestId("nav-profile").filter({ hasText: nickname }).waitFor();
}

async function signIn(page, mobile, pw) {
  await page.goto("/signin");
  await page.getByLabel("Mobile number").fill(mobile);
  await page.getByLabel("Password").fill(pw);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByTestId("nav-profile").waitFor();
}

/** procedureCalls counts the page's calls to one RPC method. */
function procedureCalls(page, method) {
  const calls = { requests: 0, statuses: [] };
  page.on("request", (req) => {
    if (req.url().endsWith(`/${method}`)) calls.requests++;
  });
  page.on("response", (res) => {
    if (res.url().endsWith(`/${method}`)) calls.statuses.push(res.status());
  });
  return calls;
}

/** card finds the homestay card with a title inside a section. */
function card(page, sectionTestId, title) {
  return page.getByTestId(sectionTestId).getByTestId("homestay-card").filter({ hasText: title });
}

test("the full journey, clicked through the UI", async (t) => {
  const pages = {};
  const step = steps(t, pages);
  const landlordNick = `Host ${run}`;
  const guestNick = `Guest ${run}`;
  const businessName = `Lakeside Rest ${run}`;
  const title = `Loft by the lake ${run}`;
  let homestayId = "";
  let businessPath = "";

  await step("a new user signs up", async () => {
    const ctx = await newContext(browser, system.baseURL);
    pages.landlord = await ctx.newPage();
    await signUp(pages.landlord, `139${run}`, landlordNick);
  });

  await step("they create their business, and the refreshed tokens make them a landlord", async () => {
    const p = pages.landlord;
    await p.getByRole("link", { name: "Become a landlord" }).click();
    await p.getByRole("heading", { name: "Open your business" }).waitFor();
    await p.getByLabel("Business name").fill(businessName);
    await p.getByLabel("About the business").fill("Three rooms on the quiet side of the lake.");
    await p.getByLabel("About you, the host").fill("I grew up here.");
    await p.getByLabel("Tags").fill("lake, quiet");
    await p.getByRole("button", { name: "Open business" }).click();
    await p.getByRole("heading", { name: "My business", level: 1 }).waitFor();
    await p.getByRole("link", { name: "Add a homestay" }).waitFor();
    // The nav reads the role from the new access token.
    await p.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My business" }).waitFor();
  });

  await step("an invalid price is refused beside its field, without a request", async () => {
    const p = pages.landlord;
    const creates = procedureCalls(p, "CreateHomestay");
    await p.getByRole("link", { name: "Add a homestay" }).click();
    await p.getByLabel("Title", { exact: true }).fill(title);
    await p.getByLabel("Subtitle").fill("Wake up to the water");
    await p.getByLabel("Price (¥)", { exact: true }).fill("-5");
    await p.getByLabel("Sleeps (guests)").fill("3");
    await p.getByRole("button", { name: "Create homestay" }).click();
    const error = p.locator("#field-homestay-price_cents-error");
    await error.waitFor();
    assert.match(await error.innerText(), /from ¥0\.00 to ¥1,000,000\.00/);
    assert.equal(await p.getByLabel("Price (¥)", { exact: true }).getAttribute("aria-invalid"), "true");
    assert.equal(creates.requests, 0, "the browser sent a request protovalidate rejects");
    await readme(p, "violation");
  });

  await step("they create a homestay, off the shelf", async () => {
    const p = pages.landlord;
    await p.getByLabel("Price (¥)", { exact: true }).fill("388");
    await p.getByLabel("Usual price (¥)").fill("458");
    await p.getByLabel("Description").fill("A bright loft with a balcony over the lake.");
    await p.getByRole("button", { name: "Create homestay" }).click();
    await p.getByText("was added, off the shelf").waitFor();
    const row = p.getByTestId("my-homestay").filter({ hasText: title });
    await row.getByText("Off the shelf").waitFor();
    await row.getByText("¥388.00").waitFor();
  });

  await step("they put it on the shelf", async () => {
    const p = pages.landlord;
    const row = p.getByTestId("my-homestay").filter({ hasText: title });
    await row.getByRole("button", { name: `Put on the shelf: ${title}` }).click();
    await row.getByText("On the shelf").waitFor();
    const href = await row.getByRole("link", { name: title, exact: true }).getAttribute("href");
    homestayId = href.split("/").pop();
    assert.match(homestayId, /^\d+$/);
  });

  await step("it appears in the business's list", async () => {
    const p = pages.landlord;
    await p.getByRole("link", { name: "Businesses" }).click();
    await p.getByTestId("business-card").filter({ hasText: businessName }).click();
    await p.getByRole("heading", { name: businessName, level: 1 }).waitFor();
    businessPath = new URL(p.url()).pathname;
    await card(p, "business-homestays", title).getByText("¥388.00").waitFor();
  });

  await step("the admin adds it to the preferred list, and it appears there", async () => {
    const ctx = await newContext(browser, system.baseURL);
    pages.admin = await ctx.newPage();
    const p = pages.admin;
    await signIn(p, "13800000000", "looklook-demo");
    await p.locator("nav a[href='/admin']").waitFor();
    await p.goto(`/homestays/${homestayId}`);
    await p.getByRole("heading", { name: title, level: 1 }).waitFor();
    const panel = p.getByRole("form", { name: "Admin: Preferred homestays" });
    await panel.getByTestId("listed-state").filter({ hasText: /^not listed$/ }).waitFor();
    await panel.getByLabel("Sort order (highest first)").fill("1000000");
    await panel.getByRole("button", { name: "Add to preferred homestays" }).click();
    await panel.getByTestId("listed-state").filter({ hasText: /^listed$/ }).waitFor();
    await p.getByRole("link", { name: "Home" }).click();
    await card(p, "preferred", title).getByText("¥388.00").waitFor();
  });

  await step("another user comments; the comment shows their nickname and the rating changes", async () => {
    const ctx = await newContext(browser, system.baseURL);
    pages.guest = await ctx.newPage();
    const p = pages.guest;
    await signUp(p, `137${run}`, guestNick);
    await card(p, "preferred", title).click();
    await p.getByRole("heading", { name: title, level: 1 }).waitFor();
    await p.getByText("No reviews yet", { exact: true }).first().waitFor();
    await p.getByLabel("4 ★").check();
    await p.getByLabel("Your review").fill("Quiet, spotless, and the balcony is as good as the pictures.");
    await p.getByRole("button", { name: "Post review" }).click();
    const comment = p.getByTestId("comment").filter({ hasText: "the balcony is as good" });
    await comment.getByText(guestNick).waitFor();
    await p.locator("article.homestay .homestay-main .rating").filter({ hasText: "4.0 ★ · 1 review" }).waitFor();
    await readme(p, "homestay", { fullPage: true });
  });

  await step("the landlord updates the price; detail and lists show it at once", async () => {
    const p = pages.landlord;
    await p.getByRole("link", { name: "My business" }).click();
    await p.getByRole("link", { name: `Edit ${title}` }).click();
    const price = p.getByLabel("Price (¥)", { exact: true });
    await price.waitFor();
    assert.equal(await price.inputValue(), "388.00");
    await price.fill("328");
    await p.getByRole("button", { name: "Save homestay" }).click();
    await p.getByText("was saved").waitFor();
    await p.getByTestId("my-homestay").filter({ hasText: title }).getByText("¥328.00").waitFor();
    await readme(p, "landlord", { fullPage: true });

    await p.getByRole("link", { name: title, exact: true }).click();
    await p.locator(".facts [data-testid=price]").filter({ hasText: "¥328.00" }).waitFor();
    await p.goto(businessPath);
    await card(p, "business-homestays", title).getByText("¥328.00").waitFor();

    // Other people, with caches of their own, see it too.
    const a = pages.admin;
    await a.goto("/");
    await card(a, "preferred", title).getByText("¥328.00").waitFor();
    await readme(a, "home");
    const g = pages.guest;
    await g.goto(`/homestays/${homestayId}`);
    await g.locator(".facts [data-testid=price]").filter({ hasText: "¥328.00" }).waitFor();
    await g.getByTestId("comment").getByText(guestNick).waitFor();
  });

  await step("a stale edit is explained, and can be saved over the latest", async () => {
    const ctx = pages.landlord.context();
    const first = pages.landlord;
    pages.second = await ctx.newPage();
    const second = pages.second;
    await first.goto(`/landlord/homestays/${homestayId}`);
    await second.goto(`/landlord/homestays/${homestayId}`);
    await first.getByLabel("Subtitle").fill("Wake up to the water, now with breakfast");
    await first.getByRole("button", { name: "Save homestay" }).click();
    await first.getByText("was saved").waitFor();

    await second.getByLabel("Meals").fill("Breakfast with eggs from next door");
    await second.getByRole("button", { name: "Save homestay" }).click();
    const conflict = second.getByTestId("conflict");
    await conflict.getByText("was changed somewhere else").waitFor();
    // The edits are kept while the landlord decides.
    assert.equal(await second.getByLabel("Meals").inputValue(), "Breakfast with eggs from next door");
    await conflict.getByRole("button", { name: "Save my edits over the latest" }).click();
    await second.getByText("was saved").waitFor();
    await second.close();
  });

  for (const page of Object.values(pages)) await page?.context().close();
});

test("a rejected form shows field violations, from the browser and from the server", async (t) => {
  const pages = {};
  const step = steps(t, pages);
  await step("the browser's protovalidate check stops a bad mobile number", async () => {
    const ctx = await newContext(browser, system.baseURL);
    pages.visitor = await ctx.newPage();
    const p = pages.visitor;
    const registers = procedureCalls(p, "Register");
    await p.goto("/signup");
    await p.getByLabel("Mobile number").fill("12345");
    await p.getByLabel("Password").fill("short");
    await p.getByRole("button", { name: "Create account" }).click();
    await p.locator("#field-mobile-error").getByText("11-digit mobile number").waitFor();
    await p.locator("#field-password-error").getByText("at least 8 characters").waitFor();
    assert.equal(await p.getByLabel("Mobile number").getAttribute("aria-invalid"), "true");
    assert.equal(registers.requests, 0);
    // The first invalid field has the focus, so a keyboard user lands on it.
    await p.waitForFunction(() => document.activeElement?.id === "field-mobile");
  });

  await step("the server's violations appear beside the same fields", async () => {
    const p = pages.visitor;
    const registers = procedureCalls(p, "Register");
    await p.evaluate(() => localStorage.setItem("looklook.skipClientValidation", "1"));
    await p.reload();
    await p.getByLabel("Mobile number").fill("12345");
    await p.getByLabel("Password").fill("short");
    await p.getByRole("button", { name: "Create account" }).click();
    await p.locator("#field-password-error").getByText("at least 8 characters").waitFor();
    await p.locator("#field-mobile-error").getByText("11-digit mobile number").waitFor();
    await p.getByText("The server rejected some fields").waitFor();
    assert.equal(registers.requests, 1);
    assert.deepEqual(registers.statuses, [400]);
    await p.evaluate(() => localStorage.removeItem("looklook.skipClientValidation"));
  });

  await step("an already registered mobile is explained beside the field", async () => {
    const p = pages.visitor;
    await p.reload();
    await p.getByLabel("Mobile number").fill("13800000001");
    await p.getByLabel("Password").fill(password);
    await p.getByRole("button", { name: "Create account" }).click();
    await p.locator("#field-mobile-error").getByText("already registered").waitFor();
  });

  for (const page of Object.values(pages)) await page?.context().close();
});

test("expired or refused access tokens are refreshed once, transparently", async (t) => {
  const pages = {};
  const step = steps(t, pages);
  await step("a refused access token is refreshed once for all the calls that hit it", async () => {
    const ctx = await newContext(browser, system.baseURL);
    pages.user = await ctx.newPage();
    const p = pages.user;
    await signIn(p, "13800000001", "looklook-demo");
    const before = await p.evaluate(() => JSON.parse(localStorage.getItem("looklook.session")));
    await p.evaluate(() => {
      const s = JSON.parse(localStorage.getItem("looklook.session"));
      s.accessToken = "not-a-token";
      localStorage.setItem("looklook.session", JSON.stringify(s));
    });
    const refreshes = procedureCalls(p, "RefreshTokens");
    await p.reload();
    await p.getByTestId("nav-profile").waitFor();
    await p.getByTestId("guess").getByTestId("homestay-card").first().waitFor();
    assert.equal(refreshes.requests, 1);
    const afterRefresh = await p.evaluate(() => JSON.parse(localStorage.getItem("looklook.session")));
    assert.notEqual(afterRefresh.refreshToken, before.refreshToken, "the rotated pair was not stored");
    assert.notEqual(afterRefresh.accessToken, "not-a-token");
  });

  await step("an access token about to expire is refreshed before the call", async () => {
    const p = pages.user;
    await p.evaluate(() => {
      const s = JSON.parse(localStorage.getItem("looklook.session"));
      s.accessExpireMs = Date.now() - 1000;
      s.obtainedMs = Date.now() - 15 * 60_000;
      localStorage.setItem("looklook.session", JSON.stringify(s));
    });
    const refreshes = procedureCalls(p, "RefreshTokens");
    const unauthenticated = procedureCalls(p, "GetMe");
    await p.reload();
    await p.getByTestId("nav-profile").waitFor();
    await p.getByTestId("guess").getByTestId("homestay-card").first().waitFor();
    assert.equal(refreshes.requests, 1);
    assert.ok(!unauthenticated.statuses.includes(401), "GetMe went out with the expired token");
  });

  await step("the profile is edited, with violations beside their fields", async () => {
    const p = pages.user;
    await p.getByTestId("nav-profile").click();
    await p.getByRole("heading", { name: "Your profile" }).waitFor();
    await p.getByLabel("Avatar URL").fill("ftp://example.invalid/me.png");
    await p.getByRole("button", { name: "Save profile" }).click();
    await p.locator("#field-avatar-error").waitFor();
    await p.getByLabel("Avatar URL").fill("");
    await p.getByLabel("About you").fill(`Updated by the browser tests (${run}).`);
    await p.getByRole("button", { name: "Save profile" }).click();
    await p.getByText("Saved.").waitFor();
    await p.reload();
    assert.equal(await p.getByLabel("About you").inputValue(), `Updated by the browser tests (${run}).`);
  });

  await step("signing out ends the session", async () => {
    const p = pages.user;
    await p.getByRole("button", { name: "Sign out" }).click();
    await p.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign in" }).waitFor();
    assert.equal(new URL(p.url()).pathname, "/");
    assert.equal(await p.evaluate(() => localStorage.getItem("looklook.session")), null);
  });

  for (const page of Object.values(pages)) await page?.context().close();
});

test("a phone-sized screen gets a menu, and the keyboard reaches everything", async (t) => {
  const pages = {};
  const step = steps(t, pages);
  await step("the menu opens from its button and pages stay in one column", async () => {
    const ctx = await newContext(browser, system.baseURL, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    pages.phone = await ctx.newPage();
    const p = pages.phone;
    await p.goto("/");
    await p.getByTestId("preferred").getByTestId("homestay-card").first().waitFor();
    const nav = p.getByRole("navigation", { name: "Main" });
    assert.equal(await nav.isVisible(), false);
    const toggle = p.getByRole("button", { name: "Menu" });
    assert.equal(await toggle.getAttribute("aria-expanded"), "false");
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the page scrolls sideways (${width}px wide)`);
    await readme(p, "phone");
    await toggle.click();
    assert.equal(await toggle.getAttribute("aria-expanded"), "true");
    await nav.getByRole("link", { name: "Businesses" }).click();
    await p.getByRole("heading", { name: "Businesses", level: 1 }).waitFor();
    assert.equal(await nav.isVisible(), false, "the menu stays open after navigating");
  });

  await step("Tab reaches the skip link first, and it jumps to the content", async () => {
    const p = pages.phone;
    await p.goto("/signin");
    await p.getByRole("heading", { name: "Sign in" }).waitFor();
    await p.keyboard.press("Tab");
    assert.equal(await p.evaluate(() => document.activeElement?.textContent), "Skip to content");
    await p.keyboard.press("Enter");
    // Keyboard only: fill and send the sign-in form.
    await p.getByLabel("Mobile number").focus();
    await p.keyboard.type("13800000002");
    await p.keyboard.press("Tab");
    await p.keyboard.type("looklook-demo");
    await p.keyboard.press("Enter");
    await p.waitForURL((url) => url.pathname === "/");
    await p.getByRole("button", { name: "Menu" }).click();
    await p.getByTestId("nav-profile").waitFor();
  });

  for (const page of Object.values(pages)) await page?.context().close();
});
