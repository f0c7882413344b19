// The Opsroom entry point (placeholder until the Opsroom lands): shows the federation's health.
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

function App() {
  const [health, setHealth] = useState<string>('checking…');
  useEffect(() => {
    fetch('/api/health')
      .then((r) => r.json())
      .then((h: { status: string; database: string }) => setHealth(`${h.status} (${h.database})`))
      .catch(() => setHealth('server unreachable'));
  }, []);
  return (
    <main>
      <h1>OGAS Opsroom</h1>
      <p>Server: {health}</p>
    </main>
  );
}

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
