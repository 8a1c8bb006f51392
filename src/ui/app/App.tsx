export function App() {
  return (
    <main className="app">
      <h1>Resetscope</h1>
    </main>
  );
}
