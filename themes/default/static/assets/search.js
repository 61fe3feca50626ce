// The search page's own script, loaded by no other page: it searches the site's index
// (pagefind/, read by Pagefind's script and WebAssembly, loaded only when a search
// begins) and lists the results, each with its kind and a meeting's day and time. The
// number of results is announced. Without it, the page lists the site's A–Z lists.
(function () {
  'use strict';
  var form = document.querySelector('.search-form');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  if (!form || !status || !list || !window.WebAssembly) return;
  var input = form.querySelector('input');
  var pagefind = null;
  var asked = 0;

  function say(key, count, query) {
    status.textContent = status.dataset[key]
      .replace('{count}', String(count))
      .replace('{query}', query);
  }

  function load() {
    if (!pagefind) {
      pagefind = import(form.dataset.index).then(function (api) {
        return api.options({ noWorker: true }).then(function () { return api; });
      });
    }
    return pagefind;
  }

  // The excerpt is the page's own text with the words found in <mark>: written as
  // text, with only those marks made elements.
  function excerpt(text) {
    var p = document.createElement('p');
    text.split(/(<mark>.*?<\/mark>)/).forEach(function (part) {
      var found = /^<mark>(.*)<\/mark>$/.exec(part);
      if (found) {
        var mark = document.createElement('mark');
        mark.textContent = found[1];
        p.appendChild(mark);
      } else if (part) {
        p.appendChild(document.createTextNode(part));
      }
    });
    return p;
  }

  function item(data) {
    var li = document.createElement('li');
    var heading = document.createElement('h2');
    var link = document.createElement('a');
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    heading.appendChild(link);
    li.appendChild(heading);
    var about = document.createElement('p');
    about.className = 'search-kind';
    about.textContent = [data.meta.kind, data.meta.when].filter(Boolean).join(' · ');
    li.appendChild(about);
    li.appendChild(excerpt(data.excerpt || ''));
    return li;
  }

  function run(query) {
    var mine = ++asked;
    list.textContent = '';
    if (!query) {
      status.textContent = '';
      return;
    }
    load()
      .then(function (api) { return api.search(query); })
      .then(function (found) {
        return Promise.all(found.results.slice(0, 30).map(function (r) { return r.data(); }));
      })
      .then(function (results) {
        if (mine !== asked) return;
        results.forEach(function (data) { list.appendChild(item(data)); });
        say(results.length === 0 ? 'none' : results.length === 1 ? 'one' : 'many', results.length, query);
      })
      .catch(function () {
        if (mine === asked) say('failed', 0, query);
      });
  }

  form.hidden = false;
  var fallback = document.getElementById('search-no-script');
  if (fallback) fallback.hidden = true;
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    run(input.value.trim());
  });
  // A search from the header's box: its words are taken out of the address bar, for
  // the next person to glance at the device not to see them.
  var query = new URLSearchParams(window.location.search).get('q') || '';
  if (query) window.history.replaceState(null, '', window.location.pathname);
  input.value = query;
  run(query.trim());
})();
