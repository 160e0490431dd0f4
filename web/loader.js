// Picks the build the browser can run, loads it, and exposes window.latentlab:
//   state() -> object, open(id) -> bool, command(text) -> {ok, message}, redraw(), ready (Promise), isReady.
// The threaded build needs SharedArrayBuffer, which browsers give only to cross-origin
// isolated pages; on a plain static host the single-thread build runs instead.
(function () {
  'use strict';
  const canvas = document.getElementById('canvas');
  const status = document.getElementById('status');

  function showError(title, detail) {
    const box = document.getElementById('error');
    box.innerHTML = '';
    const h = document.createElement('h1');
    h.textContent = title;
    const p = document.createElement('p');
    p.textContent = detail;
    box.append(h, p);
    box.style.display = 'block';
    canvas.style.display = 'none';
    status.style.display = 'none';
  }

  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
    showError('This browser cannot run latentlab',
      'latentlab needs WebAssembly, which this browser does not offer (or it is turned off). ' +
      'Use a current Firefox, Chrome, Edge or Safari, or the desktop app.');
    return;
  }
  if (!document.createElement('canvas').getContext('webgl2')) {
    showError('WebGL2 is not available',
      'latentlab draws with WebGL2, which this browser or its graphics driver does not provide. ' +
      'Turn on hardware acceleration in the browser settings, try another browser, or use the desktop app.');
    return;
  }

  const build = (self.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function') ? 'mt' : 'st';
  let resolveReady;
  const api = {
    build,
    isReady: false,
    ready: new Promise((resolve) => { resolveReady = resolve; }),
    state() { return JSON.parse(Module.UTF8ToString(Module._ll_state())); },
    open(id) { return Module.ccall('ll_open', 'number', ['string'], [String(id)]) === 1; },
    command(text) { return JSON.parse(Module.UTF8ToString(Module.ccall('ll_command', 'number', ['string'], [String(text)]))); },
    redraw() { Module._ll_redraw(); },  // the next frame redraws the whole canvas, not just what changed
  };
  window.latentlab = api;
  window.addEventListener('hashchange', () => {
    const m = /lesson=([A-Za-z0-9_-]+)/.exec(location.hash);
    if (m && api.isReady) api.open(m[1]);
  });

  // Absolute URLs: pthread workers resolve relative ones against their own folder (mt/).
  const script = new URL(build + '/latentlab_web.js', location.href).href;
  window.Module = {
    canvas,
    locateFile: (path) => new URL(build + '/' + path, location.href).href,
    mainScriptUrlOrBlob: script,
    print: (text) => console.log(text),
    printErr: (text) => console.warn(text),
    onLatentlabReady() {
      status.style.display = 'none';
      canvas.focus();
      api.isReady = true;
      resolveReady(api);
    },
    onLatentlabError(message) { showError('latentlab could not start', message); },
    onAbort(what) { showError('latentlab stopped', String(what)); },
  };
  const tag = document.createElement('script');
  tag.src = script;
  tag.onerror = () => showError('latentlab could not load', 'Fetching ' + script + ' failed.');
  document.body.appendChild(tag);
})();
