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
    if (!api.isReady) return;
    const params = new URLSearchParams(location.hash.slice(1));
    if (params.has('lesson')) api.open(params.get('lesson'));
    if (params.has('lang') && params.get('lang') !== api.state().lang) api.command('lang ' + params.get('lang'));
  });

  // Text fields: while one is active in the app, this text area has the keyboard focus, at the
  // field's caret. Keys still reach the app (SDL listens on the window); an input method's
  // composition shows here, in the page's fonts, and the committed text goes to the app, as
  // does pasted text. Keys that belong to a composition stop here.
  const textArea = document.createElement('textarea');
  textArea.id = 'text-input';
  textArea.setAttribute('aria-label', 'text input');
  for (const [k, v] of [['autocomplete', 'off'], ['autocapitalize', 'off'], ['autocorrect', 'off'], ['spellcheck', 'false']])
    textArea.setAttribute(k, v);
  document.body.appendChild(textArea);
  let fieldActive = false;
  let composing = false;
  const giveText = (text) => {
    if (text && api.isReady) Module.ccall('ll_text_input', null, ['string'], [text]);
  };
  const showComposition = (text) => {
    textArea.classList.toggle('composing', text.length > 0);
    textArea.style.width = (text.length + 1) + 'em';
  };
  textArea.addEventListener('compositionstart', () => { composing = true; });
  textArea.addEventListener('compositionupdate', (e) => showComposition(e.data || ''));
  textArea.addEventListener('compositionend', (e) => {
    composing = false;
    giveText(e.data);
    textArea.value = '';
    showComposition('');
  });
  // Text inserted without keys (an on-screen keyboard's suggestion, a dictation, CDP insertText).
  textArea.addEventListener('input', (e) => {
    if (composing || e.isComposing || !textArea.value) return;
    giveText(textArea.value);
    textArea.value = '';
  });
  const isCompositionKey = (e) => e.isComposing || e.keyCode === 229;
  textArea.addEventListener('keydown', (e) => {
    // Paste is the browser's (the app cannot read the system clipboard): Ctrl/Cmd+V goes no further.
    if (isCompositionKey(e) || ((e.ctrlKey || e.metaKey) && (e.key === 'v' || e.key === 'V'))) e.stopPropagation();
  });
  textArea.addEventListener('keyup', (e) => { if (isCompositionKey(e)) e.stopPropagation(); });
  textArea.addEventListener('paste', (e) => {
    e.preventDefault();
    giveText((e.clipboardData || window.clipboardData).getData('text'));
  });
  const focusTextArea = () => {
    if (document.activeElement !== textArea) textArea.focus({preventScroll: true});
  };
  canvas.addEventListener('pointerup', () => { if (fieldActive) focusTextArea(); });

  // Absolute URLs: pthread workers resolve relative ones against their own folder (mt/).
  const script = new URL(build + '/latentlab_web.js', location.href).href;
  window.Module = {
    canvas,
    latentlabTextField(active, x, y, fontPx) {
      fieldActive = active;
      textArea.style.left = x + 'px';
      textArea.style.top = y + 'px';
      textArea.style.fontSize = fontPx + 'px';
      if (active) focusTextArea();
      else if (document.activeElement === textArea) canvas.focus({preventScroll: true});
    },
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
