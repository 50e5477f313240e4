/* Pressroom search page: this locale's Pagefind index (pagefind/<locale>/, written at
   build time), searched in the browser as the reader types — no server, nothing fetched
   from elsewhere. Each result shows the leaflet's title, its summary and the passage
   that matched: the section it is in (Pagefind's sub-result, cut at each heading, so a
   heading never runs into the paragraph before it) under that section's heading, linked
   to it. The page's own words (status lines) come from its data attributes,
   translated like every layout string. Without this script the page says how to browse
   instead; that text stays if the index cannot be loaded. No inline script: the page
   runs under a strict Content-Security-Policy (WebAssembly allowed for Pagefind). */

const results = document.querySelector(".search-results");
const status = document.getElementById("search-status");
const form = document.querySelector(".search-form");
const input = form && form.querySelector("input[type=search]");
const fallback = document.querySelector(".search-fallback");
const MAX_RESULTS = 20;
let latest = 0;

function say(template, query, count) {
  const number = new Intl.NumberFormat(document.documentElement.lang).format(count || 0);
  status.textContent = template.replace("{query}", query).replace("{count}", number);
}

/* Pagefind's excerpt is text with <mark> around the matched words: keep exactly that. */
function passage(excerpt) {
  const parsed = document.createElement("template");
  parsed.innerHTML = excerpt;
  const paragraph = document.createElement("p");
  paragraph.className = "search-passage";
  parsed.content.childNodes.forEach((node) => {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      paragraph.append(mark);
    } else {
      paragraph.append(node.textContent);
    }
  });
  return paragraph;
}

/* The section with the most matches; null when the matches are before any heading. */
function section(data) {
  let best = null;
  for (const sub of data.sub_results || []) {
    const count = (sub.locations || []).length;
    if (count && (!best || count > best.locations.length)) {
      best = sub;
    }
  }
  return best && best.url.includes("#") ? best : null;
}

function item(data) {
  const li = document.createElement("li");
  li.className = "search-result";
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  /* The index names each page as it sits beside this one ("/x.html" from the folder it
     was indexed in): a relative link, so the site works from any folder. */
  link.href = (data.raw_url || data.url).replace(/^\/+/, "");
  link.textContent = (data.meta && data.meta.title) || link.href;
  heading.append(link);
  li.append(heading);
  if (data.meta && data.meta.summary) {
    const summary = document.createElement("p");
    summary.className = "summary";
    summary.textContent = data.meta.summary;
    li.append(summary);
  }
  const part = section(data);
  if (part) {
    const where = document.createElement("p");
    where.className = "search-section";
    const anchor = document.createElement("a");
    anchor.href = part.url.replace(/^\/+/, "");
    anchor.textContent = part.title;
    where.append(anchor);
    li.append(where);
    if (part.excerpt) {
      li.append(passage(part.excerpt));
    }
  } else if (data.excerpt) {
    li.append(passage(data.excerpt));
  }
  return li;
}

async function run(pagefind, query) {
  const ticket = ++latest;
  const term = query.trim();
  const address = new URL(location.href);
  if (term) {
    address.searchParams.set("q", term);
  } else {
    address.searchParams.delete("q");
  }
  history.replaceState(null, "", address);
  if (!term) {
    results.replaceChildren();
    status.textContent = "";
    return;
  }
  const search = await pagefind.search(term);
  const found = await Promise.all(search.results.slice(0, MAX_RESULTS).map((r) => r.data()));
  if (ticket !== latest) {
    return; /* the reader typed on: a newer search will answer */
  }
  results.replaceChildren(...found.map(item));
  if (found.length) {
    say(status.dataset.found, term, search.results.length);
  } else {
    say(status.dataset.none, term, 0);
  }
}

/* The index loads while the reader may already be typing: the form listens at once, and
   what was typed (or asked in the address) is searched as soon as the index is ready. */
async function start() {
  if (!results || !status || !input) {
    return;
  }
  const loading = (async () => {
    const pagefind = await import(
      new URL(results.dataset.bundle + "pagefind.js", document.baseURI).href);
    await pagefind.options({ excerptLength: 24 });
    await pagefind.init();
    return pagefind;
  })();
  const search = (query) => loading.then((pagefind) => run(pagefind, query), () => {});
  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => search(input.value), 150);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    search(input.value);
  });
  const asked = new URLSearchParams(location.search).get("q");
  if (asked && !input.value) {
    input.value = asked;
  }
  try {
    await loading;
  } catch (error) {
    status.textContent = status.dataset.failed;
    return; /* the page already says how to browse instead */
  }
  fallback.hidden = true;
  if (input.value.trim()) {
    await search(input.value);
  }
}

start();
