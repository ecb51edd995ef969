"Packaging from settings.ini (the nbdev 2 convention): every version and dependency lives there."
from configparser import ConfigParser
import setuptools

cfg = ConfigParser(delimiters=["="])
cfg.read("settings.ini", encoding="utf-8")
cfg = cfg["DEFAULT"]

setuptools.setup(
    name=cfg["lib_name"], version=cfg["version"], description=cfg["description"],
    author=cfg["author"], author_email=cfg["author_email"], license="Apache-2.0", url=cfg["git_url"],
    keywords=cfg["keywords"], python_requires=">=" + cfg["min_python"],
    packages=setuptools.find_namespace_packages(include=[cfg["lib_path"], cfg["lib_path"] + ".*"]),
    include_package_data=True,
    package_data={cfg["lib_path"]: ["data/*", "models/*/*"]},
    install_requires=cfg.get("requirements", "").split(),
    extras_require={"dev": cfg.get("dev_requirements", "").split()},
    long_description=open("README.md", encoding="utf-8").read(), long_description_content_type="text/markdown",
    zip_safe=False,
    classifiers=["Programming Language :: Python :: 3", "Topic :: Scientific/Engineering"],
    project_urls={"Source": cfg["git_url"]},
    entry_points={"console_scripts": cfg.get("console_scripts", "").split(),
                  "nbdev": [f'{cfg["lib_path"]}={cfg["lib_path"]}._modidx:d']},
)
