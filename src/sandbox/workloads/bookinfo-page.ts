/**
 * Content the simulated Bookinfo services return: the product page HTML and
 * the JSON of productpage's `/api/v1/products` API. Text is our own; only the
 * page title, the book and the error lines mirror what the sample shows.
 */
import type { ReviewsVersion } from './bookinfo-routes.js';
import { escapeHtml } from './http-util.js';

export const PRODUCTPAGE_TITLE = 'Simple Bookstore App';
export const DETAILS_ERROR = 'Error fetching product details!';
export const REVIEWS_ERROR = 'Error fetching product reviews!';
export const RATINGS_ERROR = 'Ratings service is currently unavailable';

export const PRODUCT = {
  id: 0,
  title: 'The Comedy of Errors',
  descriptionHtml:
    'Shakespeare\'s shortest comedy: two pairs of twins separated at birth turn up in the same town, and every mistaken identity makes matters worse.',
};

export const PRODUCT_DETAILS = {
  id: 0,
  author: 'William Shakespeare',
  year: 1595,
  type: 'paperback',
  pages: 200,
  publisher: 'PublisherA',
  language: 'English',
  'ISBN-10': '1234567890',
  'ISBN-13': '123-1234567890',
};

const REVIEWS = [
  { reviewer: 'Reviewer1', text: 'A fast, silly and very funny evening at the theatre. The running gags never get old.', stars: 5 },
  { reviewer: 'Reviewer2', text: 'Great fun to watch, though it has less to say than the playwright\'s later work.', stars: 4 },
];

export const PRODUCT_RATINGS = { id: 0, ratings: { Reviewer1: 5, Reviewer2: 4 } };

export interface ReviewsOutcome {
  /** null when reviews could not be reached. */
  version: ReviewsVersion | null;
  /** Pod that served the reviews (shown in modern Bookinfo). */
  podName?: string;
  ratingsAvailable: boolean;
}

export interface PageInput {
  detailsAvailable: boolean;
  reviews: ReviewsOutcome;
  user?: string;
  showServedBy: boolean;
}

/** Stars colour per reviews version: v1 none, v2 black, v3 red. */
export function starColor(version: ReviewsVersion): 'black' | 'red' | null {
  return version === 'v2' ? 'black' : version === 'v3' ? 'red' : null;
}

export function renderProductPage(input: PageInput): string {
  const lines: string[] = [
    '<!DOCTYPE html>',
    '<html>',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${PRODUCTPAGE_TITLE}</title>`,
    '<link rel="stylesheet" href="static/bootstrap/css/bootstrap.min.css">',
    '</head>',
    '<body>',
    '<nav class="navbar navbar-inverse"><a class="navbar-brand" href="#">BookInfo Sample</a>',
    input.user
      ? `<p class="navbar-text">signed in as ${escapeHtml(input.user)} <a href="logout">sign out</a></p>`
      : '<form method="post" action="login" class="navbar-form"><input type="text" name="username"><input type="password" name="passwd"><button type="submit">Sign in</button></form>',
    '</nav>',
    '<div class="container-fluid">',
    `<h3 class="text-center text-primary">${escapeHtml(PRODUCT.title)}</h3>`,
    `<p>Summary: ${PRODUCT.descriptionHtml}</p>`,
    '<div class="row">',
    '<div class="col-md-6">',
    '<h4 class="text-center text-primary">Book Details</h4>',
  ];
  if (input.detailsAvailable) {
    const d = PRODUCT_DETAILS;
    lines.push(
      '<dl>',
      `<dt>Type:</dt>${d.type}`,
      `<dt>Pages:</dt>${d.pages}`,
      `<dt>Publisher:</dt>${d.publisher}`,
      `<dt>Language:</dt>${d.language}`,
      `<dt>ISBN-10:</dt>${d['ISBN-10']}`,
      `<dt>ISBN-13:</dt>${d['ISBN-13']}`,
      '</dl>',
    );
  } else {
    lines.push(`<h3>${DETAILS_ERROR}</h3>`);
  }
  lines.push('</div>', '<div class="col-md-6">', '<h4 class="text-center text-primary">Book Reviews</h4>');
  const version = input.reviews.version;
  if (version === null) {
    lines.push(`<h3>${REVIEWS_ERROR}</h3>`);
  } else {
    const color = starColor(version);
    for (const r of REVIEWS) {
      lines.push('<blockquote>', `<p>${escapeHtml(r.text)}</p>`, `<small>${r.reviewer}</small>`);
      if (color && input.reviews.ratingsAvailable) {
        lines.push(
          `<font color="${color}">` +
            '<span class="glyphicon glyphicon-star"></span>'.repeat(r.stars) +
            '<span class="glyphicon glyphicon-star-empty"></span>'.repeat(5 - r.stars) +
            '</font>',
        );
      } else if (color) {
        lines.push(`<p><i>${RATINGS_ERROR}</i></p>`);
      }
      lines.push('</blockquote>');
    }
    if (input.showServedBy && input.reviews.podName) {
      lines.push(`<dl><dt>Reviews served by:</dt><u>${escapeHtml(input.reviews.podName)}</u></dl>`);
    }
  }
  lines.push('</div>', '</div>', '</div>', '</body>', '</html>', '');
  return lines.join('\n');
}

/** JSON body of productpage's `/api/v1/products/{id}/reviews`. */
export function reviewsJson(version: ReviewsVersion, ratingsAvailable: boolean, podName?: string): unknown {
  const color = starColor(version);
  return {
    id: String(PRODUCT.id),
    podname: podName ?? '',
    clustername: 'null',
    reviews: REVIEWS.map((r) => {
      const review: Record<string, unknown> = { reviewer: r.reviewer, text: r.text };
      if (color) {
        review.rating = ratingsAvailable ? { stars: r.stars, color } : { error: RATINGS_ERROR };
      }
      return review;
    }),
  };
}
