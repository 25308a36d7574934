// The browser UI of UCoFIA.Service: plain modules over the service's own HTTP API, no build step.

const keyStorage = 'ucofia.apiKey';
const defaultPageSize = 12;
const $ = (selector, root = document) => root.querySelector(selector);

/** Creates an element: el('p', { className: 'x', textContent: 'y' }, child, …). */
function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter(c => c !== null && c !== undefined));
  return node;
}

const seconds = t => `${t.toFixed(2)} s`;
const number = v => (v === null || v === undefined ? '—' : v.toFixed(2));
const percent = w => `${(100 * w).toFixed(w >= 0.1 ? 0 : 1)}%`;
const bytes = n => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : `${(n / 1024).toFixed(1)} kB`);

// ---- API key: asked for when a call answers 401, kept for this tab only ----

let pendingKey = null;

function askForKey(refused) {
  if (pendingKey) {
    return pendingKey;
  }
  const dialog = $('#key-dialog');
  $('#key-message').textContent = refused
    ? 'The service refused that key. Enter its API key (Auth:ApiKey).'
    : 'This service asks for an API key (Auth:ApiKey). It is kept for this browser tab only.';
  $('#key-input').value = '';
  pendingKey = new Promise(resolve => {
    dialog.addEventListener('close', () => {
      pendingKey = null;
      const key = dialog.returnValue === 'ok' ? $('#key-input').value.trim() : '';
      if (key) {
        sessionStorage.setItem(keyStorage, key);
      }
      resolve(key || null);
    }, { once: true });
  });
  dialog.showModal();
  return pendingKey;
}

function withKey(headers = {}) {
  const key = sessionStorage.getItem(keyStorage);
  return key ? { ...headers, 'X-Api-Key': key } : headers;
}

/** fetch with the key; a 401 asks for the key and tries again until the key works or the user cancels. */
async function api(path, options = {}) {
  for (;;) {
    const sent = sessionStorage.getItem(keyStorage);
    const response = await fetch(path, { ...options, headers: withKey(options.headers) });
    if (response.status !== 401 || !(await askForKey(sent !== null))) {
      return response;
    }
  }
}

async function json(path, options) {
  const response = await api(path, options);
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error(body?.detail || body?.title || `${response.status} ${response.statusText}`);
  }
  return body;
}

const postJson = (path, body) => json(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/** An <img> of one of the service's media URLs: with a key, fetched with the header (a token may have expired). */
function image(url, alt, className = 'thumb') {
  const img = el('img', { alt, className, loading: 'lazy' });
  if (sessionStorage.getItem(keyStorage)) {
    api(url).then(r => (r.ok ? r.blob() : null)).then(blob => { if (blob) img.src = URL.createObjectURL(blob); });
  } else {
    img.src = url;
  }
  return img;
}

const frameUrl = (videoId, frame) => `/api/videos/${videoId}/frames/${frame}.jpg`;

// ---- views ----

function route() {
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  const view = ['search', 'upload', 'gallery'].includes(path) ? path : 'search';
  for (const section of document.querySelectorAll('.view')) {
    section.hidden = section.id !== `view-${view}`;
  }
  for (const link of document.querySelectorAll('nav a[data-view]')) {
    link.classList.toggle('active', link.dataset.view === view);
  }
  if (view === 'gallery') {
    const params = new URLSearchParams(query);
    loadGallery(Number(params.get('page')) || 1, Number(params.get('pageSize')) || defaultPageSize);
  }
}

// ---- search ----

let lastText = null;

async function search(body, described) {
  const status = $('#search-status');
  status.textContent = `Searching ${described}…`;
  $('#results').replaceChildren();
  $('#detail').hidden = true;
  try {
    const response = await json('/api/search/videos', body);
    status.textContent = response.results.length === 0
      ? `Nothing found for ${described}.`
      : `${response.results.length} videos for ${described} (${response.candidates} candidates re-ranked in ${response.timings.rerankMs.toFixed(0)} ms).`;
    $('#results').replaceChildren(...response.results.map(hitCard));
  } catch (error) {
    status.textContent = `Search failed: ${error.message}`;
  }
}

function searchText(text) {
  lastText = text;
  return search({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text, topK: 12 }) }, `“${text}”`);
}

function searchImage(file) {
  lastText = null;
  const form = new FormData();
  form.append('image', file);
  form.append('topK', '12');
  return search({ method: 'POST', body: form }, `the picture ${file.name}`);
}

function scoresList(hit) {
  const list = el('dl', { className: 'scores' });
  for (const level of ['video', 'frame', 'patch']) {
    list.append(el('div', {}, el('dt', { textContent: level }), el('dd', { textContent: number(hit.scores[level]), className: level })));
  }
  return list;
}

/** The hit's moments on a bar from 0 to the end of its last moment or best segment. */
function timeline(hit, onMoment) {
  const end = Math.max(hit.bestSegment.end, ...hit.moments.map(m => m.end)) || 1;
  const bar = el('div', { className: 'timeline', title: `0 – ${seconds(end)}` });
  hit.moments.forEach((m, i) => {
    const moment = el('button', {
      type: 'button', className: 'moment', textContent: i + 1,
      title: `${seconds(m.start)} – ${seconds(m.end)} · score ${number(m.score)}`,
    });
    Object.assign(moment.dataset, { start: m.start, end: m.end });
    moment.style.left = `${(100 * m.start) / end}%`;
    moment.style.width = `${Math.max(2, (100 * (m.end - m.start)) / end)}%`;
    moment.addEventListener('click', event => { event.stopPropagation(); onMoment(m); });
    bar.append(moment);
  });
  return bar;
}

function hitCard(hit, rank) {
  const card = el('article', { className: 'card hit', tabIndex: 0 },
    image(hit.thumbnailUrl ?? frameUrl(hit.videoId, 0), `best frame of ${hit.title ?? hit.videoId}`),
    el('h3', { textContent: `${rank + 1}. ${hit.title ?? hit.videoId}` }),
    el('p', { className: 'score', textContent: `score ${number(hit.score)}` }),
    scoresList(hit),
    timeline(hit, m => openDetail(hit).then(() => playMoment(m))));
  card.dataset.videoId = hit.videoId;
  card.addEventListener('click', () => openDetail(hit));
  return card;
}

// ---- one hit: player, moments, evidence ----

let stopAt = null;

async function openDetail(hit) {
  const detail = $('#detail');
  document.querySelectorAll('.hit.selected').forEach(c => c.classList.remove('selected'));
  document.querySelector(`.hit[data-video-id="${hit.videoId}"]`)?.classList.add('selected');
  const player = hit.playbackUrl
    ? el('video', { id: 'player', controls: true, preload: 'auto', muted: true, src: hit.playbackUrl.split('#')[0] })
    : el('p', { className: 'no-original', textContent: 'The original of this video was not kept (Storage:KeepOriginals off, or its budget was full), so it cannot be played here; its sampled frames are shown instead.' });
  const evidence = el('section', { className: 'evidence' }, el('h3', { textContent: 'Which patches matched which words' }));
  detail.replaceChildren(
    el('div', { className: 'detail-head' },
      el('h2', { textContent: hit.title ?? hit.videoId }),
      el('button', { type: 'button', className: 'secondary', textContent: 'Close', onclick: () => { detail.hidden = true; } })),
    el('div', { className: 'detail-body' },
      el('div', { className: 'player' }, player, timeline(hit, playMoment)),
      el('div', {},
        el('p', { className: 'score', textContent: `score ${number(hit.score)} · best segment ${hit.bestSegment.index} (${seconds(hit.bestSegment.start)} – ${seconds(hit.bestSegment.end)})` }),
        scoresList(hit),
        el('ol', { className: 'moments' }, ...hit.moments.map(m => momentItem(hit, m))))),
    evidence);
  if (player.tagName === 'VIDEO') {
    player.addEventListener('timeupdate', stopAtEnd);
  }
  detail.hidden = false;
  detail.scrollIntoView({ block: 'nearest' });
  await showEvidence(hit, evidence);
}

function momentItem(hit, m) {
  const item = el('li', {},
    el('button', { type: 'button', className: 'moment', onclick: () => playMoment(m) },
      image(hit.thumbnailUrl && m.frame === hit.moments[0].frame ? hit.thumbnailUrl : frameUrl(hit.videoId, m.frame), `frame ${m.frame}`, 'mini'),
      el('span', { textContent: `${seconds(m.start)} – ${seconds(m.end)} · ${number(m.score)}` })));
  Object.assign(item.firstChild.dataset, { start: m.start, end: m.end });
  return item;
}

/** Plays [start, end] of the open hit's original and pauses at the end. */
function playMoment(m) {
  const video = $('#player');
  if (!video) {
    return;
  }
  stopAt = m.end;
  video.currentTime = m.start;
  video.play().catch(() => {}); // a refused autoplay leaves the player at the moment's start
  requestAnimationFrame(stopAtEnd);
}

function stopAtEnd() {
  const video = $('#player');
  if (!video || stopAt === null) {
    return;
  }
  if (video.currentTime >= stopAt) {
    video.pause();
    stopAt = null;
  } else if (!video.paused) {
    requestAnimationFrame(stopAtEnd);
  }
}

async function showEvidence(hit, section) {
  if (lastText === null) {
    section.append(el('p', { className: 'status', textContent: 'Word-to-patch evidence needs a text query: search with words to see where each word looked.' }));
    return;
  }
  let evidence;
  try {
    evidence = await postJson('/api/search/explain', { text: lastText, videoId: hit.videoId, segment: hit.bestSegment.index });
  } catch (error) {
    section.append(el('p', { className: 'status', textContent: `No evidence: ${error.message}` }));
    return;
  }
  const frames = new Map(evidence.frames.map(f => [f.frame, frameFigure(f)]));
  const words = el('div', { className: 'words' }, ...evidence.words.map(w => {
    const chip = el('button', { type: 'button', className: 'word', textContent: w.token });
    chip.dataset.position = w.position;
    chip.addEventListener('click', () => {
      words.querySelectorAll('.word').forEach(c => c.classList.toggle('active', c === chip));
      drawWord(evidence, w, frames);
    });
    return chip;
  }));
  section.append(
    el('p', { className: 'status', textContent: 'Pick a word: filled boxes mark where its Bi-ISA weights fall (darker is more, the yellow one most), dotted boxes the other patches the selector kept; an outlined frame drew the word as a whole. Boxes sit on the centred square the model sees.' }),
    words,
    el('div', { className: 'frames' }, ...frames.values()));
  words.querySelector('.word')?.click();
}

function frameFigure(frame) {
  const img = image(frame.thumbnailUrl, `frame ${frame.frame}`, 'frame-image');
  const square = el('div', { className: 'square' });
  img.addEventListener('load', () => placeSquare(img, square));
  const figure = el('figure', {}, el('div', { className: 'frame-box' }, img, square), el('figcaption', { textContent: `t ${seconds(frame.t)}` }));
  figure.dataset.frame = frame.frame;
  return figure;
}

/** The model saw the centred square of each picture (CLIP's centre crop): the boxes live in that square. */
function placeSquare(img, square) {
  const aspect = img.naturalWidth / img.naturalHeight;
  const [width, height] = aspect >= 1 ? [100 / aspect, 100] : [100, 100 * aspect];
  Object.assign(square.style, { left: `${(100 - width) / 2}%`, top: `${(100 - height) / 2}%`, width: `${width}%`, height: `${height}%` });
}

function drawWord(evidence, word, frames) {
  // The strongest patch (class tokens, the whole picture, are shown on the frame's outline instead).
  const patches = evidence.places.flatMap((p, i) => (p.patch === null ? [] : [i]));
  const strongest = patches.reduce((best, i) => (word.weights[i] > word.weights[best] ? i : best), patches[0]);
  const max = word.weights[strongest];
  const perFrame = new Map();
  for (const figure of frames.values()) {
    figure.querySelector('.square').replaceChildren();
    figure.classList.remove('whole');
  }
  evidence.places.forEach((place, i) => {
    const weight = word.weights[i];
    perFrame.set(place.frame, (perFrame.get(place.frame) ?? 0) + weight);
    const figure = frames.get(place.frame);
    if (place.patch === null) {
      figure.classList.toggle('whole', weight >= 0.1);
      return;
    }
    const cell = 100 / evidence.grid;
    const box = el('div', {
      // Under 1% the patch is only shown as kept by the selector: the word did not look there.
      className: i === strongest ? 'evidence-box strongest' : weight < 0.01 ? 'evidence-box kept' : 'evidence-box',
      title: `“${word.token}”: ${percent(weight)} (similarity ${number(word.similarities[i])}) on row ${place.row}, column ${place.column}`,
    });
    Object.assign(box.style, { left: `${place.column * cell}%`, top: `${place.row * cell}%`, width: `${cell}%`, height: `${cell}%` });
    if (weight >= 0.01 || i === strongest) {
      box.style.opacity = 0.3 + (0.7 * weight) / max;
    }
    Object.assign(box.dataset, { frame: place.frame, row: place.row, column: place.column, weight });
    figure.querySelector('.square').append(box);
  });
  for (const [frame, total] of perFrame) {
    const figure = frames.get(frame);
    const whole = evidence.places.findIndex(p => p.frame === frame && p.patch === null);
    figure.querySelector('figcaption').textContent =
      `t ${seconds(evidence.frames.find(f => f.frame === frame).t)} · ${percent(total)} of “${word.token}”` + (whole >= 0 ? ` (whole frame ${percent(word.weights[whole])})` : '');
  }
}

// ---- upload ----

function upload(file, title, caption) {
  const form = new FormData();
  form.append('file', file);
  if (title) form.append('title', title);
  if (caption) form.append('captions', caption);
  const progress = $('#upload-progress');
  const sent = $('#upload-bytes');
  const state = $('#job-state');
  progress.value = 0;
  sent.textContent = '';
  state.textContent = 'Uploading…';
  const xhr = new XMLHttpRequest();
  xhr.open('POST', '/api/videos');
  for (const [name, value] of Object.entries(withKey())) {
    xhr.setRequestHeader(name, value);
  }
  xhr.upload.addEventListener('progress', e => {
    if (e.lengthComputable) {
      progress.value = (100 * e.loaded) / e.total;
      sent.textContent = `Uploaded ${bytes(e.loaded)} of ${bytes(e.total)}`;
    }
  });
  xhr.addEventListener('load', async () => {
    const body = JSON.parse(xhr.responseText || 'null');
    if (xhr.status === 401 && (await askForKey(sessionStorage.getItem(keyStorage) !== null))) {
      upload(file, title, caption);
    } else if (xhr.status === 200) {
      progress.value = 100;
      state.textContent = `Already stored: these exact bytes are video ${body.videoId}.`;
    } else if (xhr.status === 202) {
      progress.value = 100;
      watchJob(body.jobId);
    } else {
      state.textContent = `Upload refused: ${body?.detail || body?.title || xhr.status}`;
    }
  });
  xhr.addEventListener('error', () => { state.textContent = 'Upload failed: the connection broke.'; });
  xhr.send(form);
}

async function watchJob(jobId) {
  const state = $('#job-state');
  for (;;) {
    let job;
    try {
      job = await json(`/api/jobs/${jobId}`);
    } catch (error) {
      state.textContent = `Job ${jobId}: ${error.message}`;
      return;
    }
    state.textContent = `Job ${job.state}` + (job.state === 'running' ? ` (${percent(job.progress)})` : '')
      + (job.state === 'failed' ? `: ${job.error}` : '');
    state.dataset.state = job.state;
    if (job.state === 'succeeded' || job.state === 'failed') {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

// ---- gallery ----

async function loadGallery(page, pageSize) {
  const status = $('#gallery-status');
  let body;
  try {
    body = await json(`/api/videos?page=${page}&pageSize=${pageSize}`);
  } catch (error) {
    status.textContent = `Could not list the videos: ${error.message}`;
    return;
  }
  const pages = Math.max(1, Math.ceil(body.total / pageSize));
  if (page > pages) {
    location.hash = `#/gallery?page=${pages}&pageSize=${pageSize}`; // the last page emptied by a delete
    return;
  }
  $('#gallery-page').textContent = `Page ${page} of ${pages} · ${body.total} videos`;
  status.textContent = body.total === 0 ? 'No videos yet: upload one.' : '';
  const go = target => { location.hash = `#/gallery?page=${target}&pageSize=${pageSize}`; };
  $('#gallery-prev').disabled = page <= 1;
  $('#gallery-prev').onclick = () => go(page - 1);
  $('#gallery-next').disabled = page >= pages;
  $('#gallery-next').onclick = () => go(page + 1);
  $('#gallery').replaceChildren(...body.items.map(video => galleryCard(video, () => loadGallery(page, pageSize))));
}

function galleryCard(video, reload) {
  const name = video.title ?? video.id;
  const remove = el('button', { type: 'button', className: 'danger', textContent: 'Delete' });
  remove.addEventListener('click', async () => {
    if (!confirm(`Delete “${name}” with all its features and captions?`)) {
      return;
    }
    try {
      await json(`/api/videos/${video.id}`, { method: 'DELETE' });
      reload();
    } catch (error) {
      $('#gallery-status').textContent = `Could not delete “${name}”: ${error.message}`;
    }
  });
  const card = el('article', { className: 'card video' },
    image(frameUrl(video.id, 0), `first frame of ${name}`),
    el('h3', { textContent: name }),
    el('p', { className: 'status', textContent: `${seconds(video.durationSeconds)} · ${new Date(video.createdAt).toLocaleString()}` }),
    el('p', { className: 'status', textContent: video.original ? `original kept (${bytes(video.original.bytes)})` : 'original not kept' }),
    remove);
  card.dataset.videoId = video.id;
  return card;
}

// ---- wiring ----

$('#search-form').addEventListener('submit', event => {
  event.preventDefault();
  const text = $('#search-text').value.trim();
  if (text) {
    searchText(text);
  }
});
$('#image-file').addEventListener('change', event => {
  const [file] = event.target.files;
  if (file) {
    searchImage(file);
  }
  event.target.value = '';
});
const drop = $('#drop-zone');
drop.addEventListener('dragover', event => { event.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', event => {
  event.preventDefault();
  drop.classList.remove('over');
  const file = [...event.dataTransfer.files].find(f => f.type.startsWith('image/'));
  if (file) {
    searchImage(file);
  } else {
    $('#search-status').textContent = 'Drop a picture (PNG, JPEG or WebP).';
  }
});
$('#upload-form').addEventListener('submit', event => {
  event.preventDefault();
  const [file] = $('#upload-file').files;
  if (file) {
    upload(file, $('#upload-title').value.trim(), $('#upload-caption').value.trim());
  }
});
window.addEventListener('hashchange', route);
route();
