import './components/ph-app';

// After the first visit the page works offline: sw.js (generated at build) precaches it.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  void navigator.serviceWorker.register('./sw.js', { scope: './' });
}
